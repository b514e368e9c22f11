package dev.idsync.emulator.delta;

/**
 * One delta GET as the emulator received it.
 *
 * @param select             raw {@code $select}, only honoured on an initial request (later pages carry it in the token)
 * @param deltaToken         raw {@code $deltatoken} or null
 * @param skipToken          raw {@code $skiptoken} or null
 * @param preferredPageSize  from {@code Prefer: odata.maxpagesize=n}, or null
 * @param returnMinimal      {@code Prefer: return=minimal} was sent
 */
public record DeltaRequest(String select, String deltaToken, String skipToken, Integer preferredPageSize,
                           boolean returnMinimal) {
}
