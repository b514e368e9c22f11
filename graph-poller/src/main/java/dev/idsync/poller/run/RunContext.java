package dev.idsync.poller.run;

import dev.idsync.poller.state.RunProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The mutable state of one executing run: counters, pages, the epoch (a resync opens a new one), notes. */
final class RunContext {

    final SyncRunRecord run;
    private final AtomicBoolean stopRequested;
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> initialRounds = new ArrayList<>();
    private long pages;
    private long epoch;
    private long usersLeft;

    RunContext(SyncRunRecord run, AtomicBoolean stopRequested) {
        this.run = run;
        this.stopRequested = stopRequested;
        this.epoch = run.epoch();
        this.usersLeft = run.limitUsers() == null ? Long.MAX_VALUE : run.limitUsers();
    }

    synchronized void count(String name, long n) {
        if (n != 0) {
            counts.merge(name, n, Long::sum);
        }
    }

    synchronized void pagePublished() {
        pages++;
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized long epoch() {
        return epoch;
    }

    synchronized void epoch(long value) {
        epoch = value;
    }

    synchronized long pages() {
        return pages;
    }

    synchronized Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** A resource read completely by an initial round whose epoch is the run's (see SyncRun.initialRounds). */
    synchronized void initialRoundCompleted(String resource) {
        initialRounds.add(resource);
    }

    synchronized List<String> initialRounds() {
        return List.copyOf(initialRounds);
    }

    synchronized RunProgress progress() {
        return new RunProgress(run.runId(), pages, counts);
    }

    boolean stopRequested() {
        return stopRequested.get();
    }

    /** How many more users a capped run may read. */
    synchronized long usersLeft() {
        return usersLeft;
    }

    synchronized void usersRead(long n) {
        usersLeft -= n;
    }

    boolean capped() {
        return run.limitUsers() != null;
    }
}
