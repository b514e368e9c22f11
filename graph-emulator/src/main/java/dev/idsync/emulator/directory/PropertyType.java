package dev.idsync.emulator.directory;

/** The value shapes the emulated properties can take; enough to validate a PATCH as Graph does. */
public enum PropertyType {
    STRING,
    BOOLEAN,
    STRING_COLLECTION,
    DATE_TIME
}
