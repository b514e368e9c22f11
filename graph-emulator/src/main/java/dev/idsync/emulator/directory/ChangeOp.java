package dev.idsync.emulator.directory;

/** What one change-log entry records. */
public enum ChangeOp {
    CREATE,
    UPDATE,
    SOFT_DELETE,
    RESTORE,
    HARD_DELETE,
    MEMBER_ADD,
    MEMBER_REMOVE;

    private static final ChangeOp[] VALUES = values();

    static ChangeOp ofCode(byte code) {
        return VALUES[code];
    }

    public boolean isMembership() {
        return this == MEMBER_ADD || this == MEMBER_REMOVE;
    }
}
