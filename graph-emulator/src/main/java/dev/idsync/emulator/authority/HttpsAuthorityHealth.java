package dev.idsync.emulator.authority;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the HTTPS authority listens: azure-identity clients cannot get a token before. */
@Readiness
@ApplicationScoped
public class HttpsAuthorityHealth implements HealthCheck {

    private final HttpsAuthorityServer server;
    private final boolean enabled;

    public HttpsAuthorityHealth(HttpsAuthorityServer server,
                                @org.eclipse.microprofile.config.inject.ConfigProperty(name = "idsync.emulator.https.enabled",
                                        defaultValue = "true") boolean enabled) {
        this.server = server;
        this.enabled = enabled;
    }

    @Override
    public HealthCheckResponse call() {
        if (!enabled) {
            return HealthCheckResponse.named("https-authority").up().withData("enabled", false).build();
        }
        return server.running()
                ? HealthCheckResponse.named("https-authority").up().withData("port", server.port()).build()
                : HealthCheckResponse.down("https-authority");
    }
}
