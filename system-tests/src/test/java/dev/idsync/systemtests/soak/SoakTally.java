package dev.idsync.systemtests.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the soak did, counted by name (thread-safe: faults end and instances restart in the background). */
public final class SoakTally {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public void add(String what, long n) {
        if (n != 0) {
            counts.computeIfAbsent(what, k -> new AtomicLong()).addAndGet(n);
        }
    }

    public void count(String what) {
        add(what, 1);
    }

    public long get(String what) {
        AtomicLong n = counts.get(what);
        return n == null ? 0 : n.get();
    }

    /** Every count by name, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        snapshot().forEach((k, v) -> text.append("\n  ").append(k).append(": ").append(v));
        return text.toString();
    }
}
