package dev.idsync.api;

/** One rejected input: the field as the client named it (JSON path or query parameter) and why. */
public record FieldError(String field, String message) {
}
