package dev.idsync.emulator.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Graph's OData error envelope, shared by the JAX-RS resources and the Vert.x fault injection. */
public final class GraphErrorBody {

    private GraphErrorBody() {
    }

    public static String json(String code, String message, String requestId, String clientRequestId, Instant now) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = DirectoryObjectJson.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeObjectFieldStart("innerError");
            g.writeStringField("date", now.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ""));
            g.writeStringField("request-id", requestId);
            g.writeStringField("client-request-id", clientRequestId == null ? requestId : clientRequestId);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
