package dev.idsync.processor.store;

import dev.idsync.events.RemovalReason;

/**
 * Where an object stands in the local store. Deletions are reversible until confirmed (DESIGN.md
 * invariant 6): a soft delete or a full sync's sweep makes an object pending, and a later upsert makes
 * it active again; a hard delete is pending hard deletion; out of scope is removed.
 */
public enum ObjectState {
    ACTIVE("active"),
    PENDING_DELETION("pendingDeletion"),
    PENDING_HARD_DELETION("pendingHardDeletion"),
    REMOVED("removed");

    /** The removal reason a full sync's sweep records: the object was not in the new epoch. */
    public static final String NOT_SEEN_IN_FULL_SYNC = RemovalReason.NOT_SEEN_IN_FULL_SYNC.json();

    private final String dbValue;

    ObjectState(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    static ObjectState afterRemoval(String reason) {
        return afterRemoval(RemovalReason.fromJson(reason).orElse(RemovalReason.SOFT_DELETED));
    }

    static ObjectState afterRemoval(RemovalReason reason) {
        return switch (reason) {
            case SOFT_DELETED, NOT_SEEN_IN_FULL_SYNC -> PENDING_DELETION;
            case HARD_DELETED -> PENDING_HARD_DELETION;
            case OUT_OF_SCOPE -> REMOVED;
        };
    }

    /**
     * {@link #afterRemoval} as an SQL expression over the reason column {@code reason}, for set-based
     * statements: one source for the mapping.
     */
    static String afterRemovalSql(String reason) {
        StringBuilder sql = new StringBuilder("case ").append(reason);
        for (RemovalReason r : RemovalReason.values()) {
            sql.append(" when '").append(r.json()).append("' then '").append(afterRemoval(r).dbValue).append('\'');
        }
        return sql.append(" else '").append(PENDING_DELETION.dbValue).append("' end").toString();
    }

    /** Whether the object's memberships go with it: only when it is not restorable any more. */
    boolean dropsMemberships() {
        return this == PENDING_HARD_DELETION || this == REMOVED;
    }
}
