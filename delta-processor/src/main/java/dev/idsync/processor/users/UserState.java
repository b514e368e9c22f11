package dev.idsync.processor.users;

import dev.idsync.events.RemovalReason;

/**
 * Where a user stands in the local store. Deletions are reversible until confirmed (DESIGN.md
 * invariant 6): a removal from Entra makes a user pending, and a later upsert makes it active again.
 */
public enum UserState {
    ACTIVE("active"),
    PENDING_DELETION("pendingDeletion"),
    PENDING_HARD_DELETION("pendingHardDeletion"),
    REMOVED("removed");

    private final String dbValue;

    UserState(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    static UserState afterRemoval(RemovalReason reason) {
        return switch (reason) {
            case SOFT_DELETED -> PENDING_DELETION;
            case HARD_DELETED -> PENDING_HARD_DELETION;
            case OUT_OF_SCOPE -> REMOVED;
        };
    }
}
