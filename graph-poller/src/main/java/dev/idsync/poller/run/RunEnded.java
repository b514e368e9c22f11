package dev.idsync.poller.run;

import dev.idsync.events.SyncMode;

/**
 * Fired (asynchronously) after a run has ended and released its lease, so what waited for the tenant (a
 * due full sync) can start at once instead of at its next check.
 */
public record RunEnded(String tenantId, String runId, SyncMode mode, String state) {
}
