package dev.idsync.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class GraphAccessConfigTest {

    @Test
    void theSecretNeverAppearsInToString() {
        GraphAccessConfig config = GraphAccessConfig.builder("contoso", "app", "s3cr3t-value").build();
        assertThat(config.toString()).doesNotContain("s3cr3t-value").contains("clientSecret=***");
    }

    @Test
    void anAuthorityThatIsNotHttpsIsRejectedAtConfigurationTime() {
        assertThatThrownBy(() -> GraphAccessConfig.builder("contoso", "app", "secret")
                .authorityHost(URI.create("http://localhost:8090")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }

    @Test
    void tenantClientAndSecretAreRequired() {
        assertThatThrownBy(() -> GraphAccessConfig.builder("contoso", "app", " ").build())
                .hasMessage("clientSecret is required");
    }

    @Test
    void theScopeIsTheOriginOfTheGraphUrlWithDefault() {
        assertThat(GraphAccess.scopeFor(URI.create("http://localhost:8090/v1.0"))).isEqualTo("http://localhost:8090/.default");
        assertThat(GraphAccess.scopeFor(URI.create("https://graph.example/v1.0"))).isEqualTo("https://graph.example/.default");
    }

    @Test
    void backoffGrowsButStaysWithinItsCapAndRetryAfterIsNeverShortened() {
        RetryPolicy policy = RetryPolicy.defaults();
        for (int retry = 1; retry < 30; retry++) {
            assertThat(policy.backoff(retry)).isLessThanOrEqualTo(policy.maxBackoff());
        }
        assertThat(policy.honour(java.time.Duration.ofSeconds(2)))
                .isBetween(java.time.Duration.ofSeconds(2), java.time.Duration.ofMillis(2200));
    }
}
