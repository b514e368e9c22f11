package dev.idsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One environment variable per switch, as the operators set them (root README, "Operating"). */
class OperatingSwitchesTest {

    @Test
    void without_an_endpoint_the_sdk_is_disabled_and_logs_are_text() {
        SmallRyeConfig config = config(Map.of());
        assertThat(config.getValue("quarkus.otel.sdk.disabled", Boolean.class)).isTrue();
        assertThat(config.getValue("quarkus.log.console.json.enabled", Boolean.class)).isFalse();
    }

    @Test
    void an_endpoint_enables_the_sdk_and_exports_there_over_http_protobuf() {
        SmallRyeConfig config = config(Map.of("IDSYNC_OTEL_ENDPOINT", "http://collector:4318"));
        assertThat(config.getValue("quarkus.otel.sdk.disabled", Boolean.class)).isFalse();
        assertThat(config.getRawValue("quarkus.otel.exporter.otlp.traces.endpoint")).isEqualTo("http://collector:4318");
        assertThat(config.getRawValue("quarkus.otel.exporter.otlp.traces.protocol")).isEqualTo("http/protobuf");
        assertThat(config(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://std:4318"))
                .getRawValue("quarkus.otel.exporter.otlp.traces.endpoint")).isEqualTo("http://std:4318");
    }

    @Test
    void log_format_json_switches_the_console_to_json_and_an_explicit_quarkus_key_still_wins() {
        assertThat(config(Map.of("IDSYNC_LOG_FORMAT", "JSON")).getValue("quarkus.log.console.json.enabled", Boolean.class))
                .isTrue();
        SmallRyeConfig explicit = config(Map.of("IDSYNC_OTEL_ENDPOINT", "http://collector:4318",
                "quarkus.otel.sdk.disabled", "true"));
        assertThat(explicit.getValue("quarkus.otel.sdk.disabled", Boolean.class)).isTrue();
    }

    private static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(environment, "test environment", 300))
                .withInterceptors(new OperatingSwitches())
                .build();
    }
}
