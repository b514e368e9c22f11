package dev.idsync.directory.client;

/**
 * A record the client could not apply and stepped over: not a CloudEvent, a body that does not bind, an
 * event type this version does not know, a type that does not belong on the topic, or a key that is not
 * {@code <tenantId>:…}. The key's previous state stays as it was.
 *
 * @param key   the record key, nullable
 * @param cause the exception behind it, nullable (e.g. none for an unknown event type)
 */
public record SkippedRecord(String topic, int partition, long offset, String key, String reason, Exception cause) {
}
