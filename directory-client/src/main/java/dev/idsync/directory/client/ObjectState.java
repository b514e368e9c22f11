package dev.idsync.directory.client;

/** Whether a {@link DirectoryObject} is in the directory or left it (its key's last record is a removal). */
public enum ObjectState {
    ACTIVE,
    REMOVED
}
