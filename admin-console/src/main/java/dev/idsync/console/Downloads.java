package dev.idsync.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/** A service's download streamed through to the browser as it arrives (memory stays flat), or its refusal as a page. */
final class Downloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Downloads() {
    }

    static Response pass(HttpResponse<InputStream> upstream, Pages pages) throws IOException {
        if (upstream.statusCode() != 200) {
            try (InputStream in = upstream.body()) {
                byte[] body = in.readAllBytes();
                return pages.errorPage(new ApiResult(upstream.statusCode(), body.length == 0 ? null : readOrText(body)));
            }
        }
        StreamingOutput out = sink -> {
            try (InputStream in = upstream.body()) {
                in.transferTo(sink);
            }
        };
        Response.ResponseBuilder response = Response.ok(out);
        upstream.headers().firstValue("Content-Type").ifPresent(v -> response.header("Content-Type", v));
        upstream.headers().firstValue("Content-Disposition").ifPresent(v -> response.header("Content-Disposition", v));
        return response.build();
    }

    private static com.fasterxml.jackson.databind.JsonNode readOrText(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("detail", new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
