package dev.idsync.directory.client;

/** What a {@link DirectoryObject} is. */
public enum ObjectKind {
    USER,
    GROUP,
    DIRECTORY_ROLE
}
