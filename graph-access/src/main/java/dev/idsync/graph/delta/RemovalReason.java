package dev.idsync.graph.delta;

/** Why Graph reports an object (or a membership) as {@code @removed}. */
public enum RemovalReason {
    /** {@code "changed"}: soft-deleted; the object can still be restored within 30 days. */
    CHANGED,
    /** {@code "deleted"}: permanently deleted (or, in {@code members@delta}, the membership ended). */
    DELETED,
    /** A reason this client does not know; treat like CHANGED (reversible) to stay on the safe side. */
    UNKNOWN;

    static RemovalReason of(Object reason) {
        if ("changed".equals(reason)) {
            return CHANGED;
        }
        if ("deleted".equals(reason)) {
            return DELETED;
        }
        return UNKNOWN;
    }
}
