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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncRun(SyncMode mode, List<String> resources, Map<String, Long> counts, String reason) {

    public SyncRun {
        Objects.requireNonNull(mode, "mode");
        resources = Checks.list(resources);
        counts = Checks.counts(counts);
    }
}
