package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code data} of a sync-run event.
 *
 * @param mode      how the run reads Graph
 * @param resources what the run covers, e.g. {@code users}, {@code groups}; never null (empty when unset)
 * @param counts    per-kind counters so far, e.g. {@code usersUpserted}; never null (empty when unset)
 * @param reason    nullable: why the run failed, or why a full resync was chosen (e.g. the delta token
 *                  expired); omitted from the JSON when null
 * @param initialRounds the resources this run read completely in a fresh initial round of its epoch (every
 *                  resource of a full run; in a delta run, e.g., a resource whose delta token had expired),
 *                  so a consumer may treat that resource's objects last seen in an older epoch as gone:
 *                  an initial round reports no deletions. Never null; omitted from the JSON when empty
 *                  (added within v1; older events have none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncRun(SyncMode mode, List<String> resources, Map<String, Long> counts, String reason,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> initialRounds) {

    public SyncRun {
        Objects.requireNonNull(mode, "mode");
        resources = Checks.list(resources);
        counts = Checks.counts(counts);
        initialRounds = Checks.list(initialRounds);
    }

    /** A run event without initial rounds (a start, a failure, or a delta run that used its tokens). */
    public SyncRun(SyncMode mode, List<String> resources, Map<String, Long> counts, String reason) {
        this(mode, resources, counts, reason, List.of());
    }
}
