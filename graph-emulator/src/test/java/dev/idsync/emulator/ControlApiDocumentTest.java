package dev.idsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The control API's OpenAPI document is served (with Swagger UI) and is the one checked in as
 * docs/openapi/graph-emulator.yaml; {@code -Didsync.contracts.write=true} rewrites the file instead (the same
 * switch as the services', see local-infra's CheckedInDocument, which this module cannot depend on).
 */
@QuarkusTest
class ControlApiDocumentTest {

    static final Path CHECKED_IN = Path.of("../docs/openapi/graph-emulator.yaml");

    @Test
    void the_checked_in_control_api_document_matches_the_code() throws IOException {
        String document = get("/q/openapi");
        assertThat(document).contains("/_emulator/tenants/{tenantId}/seed").doesNotContain("/v1.0/");
        if (Boolean.getBoolean("idsync.contracts.write")) {
            Files.writeString(CHECKED_IN, document, StandardCharsets.UTF_8);
        }
        String checkedIn = Files.isRegularFile(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";
        assertThat(normalized(checkedIn))
                .as("docs/openapi/graph-emulator.yaml differs from the control API; if intended, regenerate and commit: "
                        + "./mvnw -B verify -pl graph-emulator -Dtest=ControlApiDocumentTest -Didsync.contracts.write=true")
                .isEqualTo(normalized(document));
        assertThat(get("/q/swagger-ui/")).contains("swagger-ui");
    }

    /** The JDK's client, not RestAssured: a plain GET needs no Groovy warm-up (this test may run first). */
    private static String get(String path) throws IOException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(TestHTTPResourceManager.getUri() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String normalized(String text) {
        return String.join("\n", text.replace("\r\n", "\n").lines().map(String::stripTrailing).toList()).strip();
    }
}
