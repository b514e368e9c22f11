package dev.idsync.console;

import io.quarkus.qute.TemplateData;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One poller run as the Runs page shows it, with the progress of a running one: objects read so far (the
 * sum of its counts), the rate, and an ETA estimated from the tenant's last completed full run (Graph does
 * not say how many objects a tenant has, so without such a run there is no honest ETA and none is shown).
 */
@TemplateData
public record RunView(String runId, String mode, String state, String trigger, Instant startedAt, Instant finishedAt,
                      long durationMillis, long pages, Map<String, Long> counts, long objects, String error,
                      Integer limitUsers) {

    public static RunView of(JsonNode run) {
        Map<String, Long> counts = new LinkedHashMap<>();
        run.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        long objects = counts.values().stream().mapToLong(Long::longValue).sum();
        return new RunView(run.path("runId").asText(), run.path("mode").asText(), run.path("state").asText(),
                run.path("trigger").asText(""), instant(run.path("startedAt")), instant(run.path("finishedAt")),
                run.path("durationMillis").asLong(), run.path("pages").asLong(), counts, objects,
                run.path("error").isNull() ? null : run.path("error").asText(null),
                run.path("limitUsers").isNumber() ? run.path("limitUsers").asInt() : null);
    }

    public boolean running() {
        return "running".equals(state);
    }

    public boolean dryRun() {
        return "dryRun".equals(mode);
    }

    public String started() {
        return Formats.time(startedAt);
    }

    public String finished() {
        return Formats.time(finishedAt);
    }

    public String duration() {
        return Formats.duration(durationMillis);
    }

    /** Objects per second so far. */
    public double rate() {
        return durationMillis <= 0 ? 0 : objects * 1000.0 / durationMillis;
    }

    public String rateText() {
        return String.format(java.util.Locale.ROOT, "%.1f objects/s", rate());
    }

    public String countsText() {
        if (counts.isEmpty()) {
            return "—";
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((type, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(type).append(' ').append(n));
        return sb.toString();
    }

    /** Seconds left if this run reads as many objects as {@code expectedObjects}; null when unknowable. */
    public Long etaSeconds(Long expectedObjects) {
        if (expectedObjects == null || expectedObjects <= objects || rate() <= 0) {
            return null;
        }
        return Math.round((expectedObjects - objects) / rate());
    }

    public String etaText(Long expectedObjects) {
        Long s = etaSeconds(expectedObjects);
        return s == null ? "unknown" : Formats.duration(Duration.ofSeconds(s).toMillis());
    }

    private static Instant instant(JsonNode node) {
        return node.isTextual() ? Instant.parse(node.asText()) : null;
    }
}
