package dev.idsync.audit.chain;

/**
 * What a walk over a tenant's chain found. {@code intact}: every row from the anchor to the head links up.
 * Otherwise {@code firstBroken} names the first row that does not.
 */
public record VerifyResult(String tenant, boolean intact, long rowsChecked, long anchorSeq, String anchorHash,
        long headSeq, String headHash, BrokenRow firstBroken, long millis) {

    /** The first row whose link is broken, and why. {@code ceId} is null when the row is missing. */
    public record BrokenRow(long seq, String ceId, String reason) {
    }
}
