package dev.idsync.poller.run;

import dev.idsync.events.SyncMode;
import java.util.List;

/** A run as the ledger keeps it. */
public record SyncRunRecord(String runId, String tenantId, SyncMode mode, List<String> resources, long epoch,
        String state) {

    public SyncRunRecord {
        resources = List.copyOf(resources);
    }
}
