package dev.idsync.directory.client;

import dev.idsync.directory.client.DirectoryTopics.Kind;
import dev.idsync.events.SyncEvent;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bootstrap's working set: each key's last record so far, what compaction would keep. Applied as a
 * whole once the bootstrap reached its end offsets, so a bootstrap reports each key once, in the same way
 * whether the broker has compacted the topics yet or not. Poll thread only.
 */
final class LastRecordPerKey {

    private final Map<Kind, Map<String, SyncEvent>> byKind = new EnumMap<>(Kind.class);

    void put(Kind kind, String key, SyncEvent event) {
        byKind.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(key, event);
    }

    /** A tombstone: nothing is left of the key. */
    void delete(Kind kind, String key) {
        Map<String, SyncEvent> records = byKind.get(kind);
        if (records != null) {
            records.remove(key);
        }
    }

    /** Applies every key's last record, objects before memberships ({@link Kind}'s order). */
    void applyTo(ChangeApplier applier) {
        byKind.forEach((kind, records) -> records.forEach(applier::apply));
    }
}
