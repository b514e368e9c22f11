package dev.idsync.poller.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.idsync.events.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as the ledger keeps it and the API shows it. While it runs, {@code pages} and {@code counts} grow
 * with every published page and {@code durationMillis} is the time so far.
 *
 * @param error why it failed or was interrupted
 * @param notes what happened on the way, e.g. an expired token and the resync it caused
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncRunRecord(String runId, String tenantId, SyncMode mode, List<String> resources, Integer limitUsers,
                            String trigger, long epoch, String state, Instant startedAt, Instant finishedAt,
                            Instant updatedAt, long pages, Map<String, Long> counts, String error, List<String> notes) {

    public SyncRunRecord {
        resources = List.copyOf(resources);
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    @com.fasterxml.jackson.annotation.JsonProperty
    public long durationMillis() {
        if (startedAt == null) {
            return 0;
        }
        return Duration.between(startedAt, finishedAt != null ? finishedAt : Instant.now()).toMillis();
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean dryRunMode() {
        return mode == SyncMode.DRY_RUN;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isRunning() {
        return "running".equals(state);
    }
}
