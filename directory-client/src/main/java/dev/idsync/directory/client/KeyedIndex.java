package dev.idsync.directory.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Values by record key (what a tombstone or a removal names) and, for reading, grouped by one or more of
 * their fields (a group's members, a member's groups). Written by the poll thread only; read by any thread.
 */
final class KeyedIndex<V> {

    private final ConcurrentMap<String, V> byKey = new ConcurrentHashMap<>();
    private final List<Function<V, String>> groupings;
    private final List<ConcurrentMap<String, Set<V>>> groups;

    @SafeVarargs
    KeyedIndex(Function<V, String>... groupings) {
        this.groupings = List.of(groupings);
        this.groups = this.groupings.stream().<ConcurrentMap<String, Set<V>>>map(g -> new ConcurrentHashMap<>()).toList();
    }

    void put(String key, V value) {
        V previous = byKey.put(key, value);
        if (previous != null) {
            ungroup(previous);
        }
        for (int i = 0; i < groupings.size(); i++) {
            groups.get(i).computeIfAbsent(groupings.get(i).apply(value), id -> ConcurrentHashMap.newKeySet()).add(value);
        }
    }

    /** Removes the key; returns what it held, or {@code null}. */
    V remove(String key) {
        V previous = byKey.remove(key);
        if (previous != null) {
            ungroup(previous);
        }
        return previous;
    }

    Set<V> all() {
        return Set.copyOf(byKey.values());
    }

    /** The values whose grouping number {@code grouping} is {@code id}. */
    Set<V> group(int grouping, String id) {
        Set<V> values = groups.get(grouping).get(id);
        return values == null ? Set.of() : Set.copyOf(values);
    }

    private void ungroup(V value) {
        for (int i = 0; i < groupings.size(); i++) {
            groups.get(i).computeIfPresent(groupings.get(i).apply(value), (id, set) -> {
                set.remove(value);
                return set.isEmpty() ? null : set;
            });
        }
    }
}
