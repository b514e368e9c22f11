package dev.idsync.emulator;

import dev.idsync.emulator.authority.HttpsAuthorityServer;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphAccessConfig;
import dev.idsync.graph.RetryPolicy;
import io.restassured.RestAssured;
import java.net.URI;

/**
 * graph-access configured for the emulator under test exactly as a service configures it for the local
 * stack: HTTPS authority with the exported truststore, plain-HTTP Graph base URL.
 */
public final class GraphAccessFixture {

    private GraphAccessFixture() {
    }

    public static GraphAccessConfig config(String tenantId, String clientId, HttpsAuthorityServer https, RetryPolicy retry) {
        return GraphAccessConfig.builder(tenantId, clientId, EmulatorClient.CLIENT_SECRET)
                .authorityHost(URI.create(https.authorityHost()))
                .graphBaseUrl(URI.create("http://localhost:" + RestAssured.port + "/v1.0"))
                .trustStore(https.truststorePath(), https.truststorePassword())
                .retry(retry)
                .build();
    }

    public static GraphAccess connect(String tenantId, HttpsAuthorityServer https) {
        return GraphAccess.connect(config(tenantId, EmulatorClient.CLIENT_ID, https, RetryPolicy.defaults()));
    }
}
