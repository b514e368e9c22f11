package dev.idsync.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A tenant's next scheduled runs as graph-poller's {@code GET /api/tenants/{t}/schedule} answers them,
 * written for the overview: the delta job's exact next tick, and when the scheduled full sync is due (it
 * starts at the poller's first check at or after that time). Where the poller has no time it says why.
 */
public record ScheduleView(String delta, String fullSync) {

    public static ScheduleView of(JsonNode schedule) {
        return new ScheduleView(delta(schedule.path("delta")), fullSync(schedule.path("fullSync")));
    }

    private static String delta(JsonNode d) {
        if (!d.path("enabled").asBoolean()) {
            return "none (on request only)";
        }
        String how = d.hasNonNull("cron") ? " (cron " + d.path("cron").asText() + ")" : "";
        return d.hasNonNull("nextRunAt") ? Formats.time(d.path("nextRunAt").asText()) + how
                : "unknown" + how + ": " + d.path("note").asText("graph-poller gave no time");
    }

    private static String fullSync(JsonNode f) {
        if (!f.path("enabled").asBoolean()) {
            return "none (" + f.path("note").asText("off") + ")";
        }
        if (!f.hasNonNull("dueAt")) {
            return "not scheduled yet: " + f.path("note").asText("");
        }
        Instant due = Instant.parse(f.path("dueAt").asText());
        if (f.path("due").asBoolean()) {
            return "due since " + Formats.time(due) + ", starts at the next check"
                    + (f.hasNonNull("nextCheckAt") ? " (" + Formats.time(f.path("nextCheckAt").asText()) + ")" : "")
                    + " or when the tenant's current run ends";
        }
        return Formats.time(due);
    }
}
