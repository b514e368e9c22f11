package dev.idsync.api;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * The operating switches every idsync service shares, each ONE environment variable (root README,
 * "Operating"), translated into the Quarkus settings they stand for:
 *
 * <ul>
 *   <li>{@code IDSYNC_OTEL_ENDPOINT} (or OpenTelemetry's own {@code OTEL_EXPORTER_OTLP_ENDPOINT}): the OTLP
 *       collector, e.g. {@code http://otel-collector:4318}. Set, traces are exported there (OTLP over HTTP,
 *       protobuf); unset, the OpenTelemetry SDK is disabled ({@code quarkus.otel.sdk.disabled=true}) and
 *       nothing is recorded or sent.</li>
 *   <li>{@code IDSYNC_LOG_FORMAT=json}: one JSON object per log line (quarkus-logging-json, MDC included);
 *       anything else or unset: the text format of application.properties, the local default.</li>
 * </ul>
 *
 * <p>Why an interceptor rather than {@code ${...}} expressions: "disabled unless an endpoint is set" and
 * "json means enabled" are not expressible as defaults. A value set explicitly for the Quarkus key itself
 * (any configuration source above the built-in defaults, e.g. {@code QUARKUS_OTEL_SDK_DISABLED}) still wins.
 */
@Priority(Priorities.APPLICATION + 100)
public class OperatingSwitches implements ConfigSourceInterceptor {

    public static final String OTEL_ENDPOINT = "IDSYNC_OTEL_ENDPOINT";
    public static final String OTEL_STANDARD_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static final String LOG_FORMAT = "IDSYNC_LOG_FORMAT";

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    static final String TRACES_PROTOCOL = "quarkus.otel.exporter.otlp.traces.protocol";
    static final String JSON_LOGS = "quarkus.log.console.json.enabled";

    /** Below this ordinal a value is one of Quarkus' own defaults, not a setting of the operator. */
    private static final int DEFAULTS = 100;
    private static final String SOURCE = "idsync operating switches (" + OTEL_ENDPOINT + ", " + LOG_FORMAT + ")";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue configured = context.proceed(name);
        if (!switched(name) || (configured != null && configured.getConfigSourceOrdinal() >= DEFAULTS)) {
            return configured;
        }
        String endpoint = endpoint(context);
        String value = switch (name) {
            case SDK_DISABLED -> Boolean.toString(endpoint == null);
            case TRACES_ENDPOINT -> endpoint;
            case TRACES_PROTOCOL -> "http/protobuf";
            case JSON_LOGS -> Boolean.toString("json".equalsIgnoreCase(text(context, LOG_FORMAT)));
            default -> null;
        };
        if (value == null) {
            return configured;
        }
        return ConfigValue.builder().withName(name).withValue(value).withConfigSourceName(SOURCE)
                .withConfigSourceOrdinal(DEFAULTS).build();
    }

    private static boolean switched(String name) {
        return SDK_DISABLED.equals(name) || TRACES_ENDPOINT.equals(name) || TRACES_PROTOCOL.equals(name)
                || JSON_LOGS.equals(name);
    }

    private static String endpoint(ConfigSourceInterceptorContext context) {
        String own = text(context, OTEL_ENDPOINT);
        return own != null ? own : text(context, OTEL_STANDARD_ENDPOINT);
    }

    private static String text(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null || value.getValue().isBlank()) {
            return null;
        }
        return value.getValue().trim();
    }
}
