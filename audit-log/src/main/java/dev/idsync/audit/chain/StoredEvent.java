package dev.idsync.audit.chain;

import java.time.Instant;

/**
 * One row of {@code audit.events}: an event at its place ({@code seq}) in its tenant's chain.
 * {@code hash} is SHA-256 over the previous row's hash and {@link ChainHash#canonical this row's canonical form}.
 */
public record StoredEvent(String tenantId, long seq, Instant recordedAt, String ceId, String ceType, String ceSource,
        String topic, String objectId, String actor, String runId, Instant occurredAt, byte[] payload, byte[] hash) {
}
