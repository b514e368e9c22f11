package dev.idsync.emulator.delta;

/** Where a token points: a finished round's deltaLink, or a page inside an initial or a follow-up round. */
public enum DeltaPhase {
    /** A {@code $deltatoken}: "changes after sequence fromSeq". */
    DELTA,
    /** A {@code $skiptoken} inside an initial round, which lists the objects that exist. */
    INITIAL,
    /** A {@code $skiptoken} inside a follow-up round, which lists the changes in (fromSeq, toSeq]. */
    CHANGES
}
