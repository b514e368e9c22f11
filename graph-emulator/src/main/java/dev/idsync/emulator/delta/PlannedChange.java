package dev.idsync.emulator.delta;

/**
 * One object's entry in a follow-up round.
 *
 * @param ordinal       the object
 * @param type          how it is reported
 * @param changedMask   selected properties that changed (UPSERT of an object that existed before the round)
 * @param full          the object is new to the client (created or restored): report all selected properties
 * @param memberAdds    member ordinals to report as added
 * @param memberRemoves member ordinals to report with {@code @removed}
 */
record PlannedChange(int ordinal, Type type, long changedMask, boolean full, int[] memberAdds, int[] memberRemoves) {

    enum Type {
        UPSERT,
        /** Soft-deleted: Graph reports {@code "@removed": {"reason": "changed"}}. */
        REMOVED_SOFT,
        /** Hard-deleted: Graph reports {@code "@removed": {"reason": "deleted"}}. */
        REMOVED_HARD
    }

    int memberChangeCount() {
        return memberAdds.length + memberRemoves.length;
    }
}
