package dev.idsync.emulator.directory;

/** Life cycle of a directory object: soft-deleted objects can be restored, hard-deleted ones are gone. */
public enum ObjectStatus {
    ACTIVE,
    SOFT_DELETED,
    HARD_DELETED
}
