package dev.idsync.emulator.delta;

/** Outcome of serving one delta request. */
public sealed interface DeltaResult {

    /**
     * @param body                 the JSON page
     * @param appliedPageSize      page size applied when the client asked for one, else null
     * @param minimalApplied       {@code return=minimal} was honoured
     */
    record Page(byte[] body, Integer appliedPageSize, boolean minimalApplied) implements DeltaResult {
    }

    /**
     * The token can no longer be used.
     *
     * @param freshQuery URL of a new initial query for the same resource and $select
     */
    record Expired(dev.idsync.emulator.directory.ExpiredTokenResponse form, String freshQuery) implements DeltaResult {
    }
}
