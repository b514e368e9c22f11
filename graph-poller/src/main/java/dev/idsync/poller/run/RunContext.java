package dev.idsync.poller.run;

import dev.idsync.events.SyncMode;
import dev.idsync.poller.state.RunProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The mutable state of one executing run: counters, pages, notes, and the run's epoch. A run opens at most
 * one new epoch (DESIGN.md invariant 12): a full run at its start, a delta run at its first resync.
 */
final class RunContext {

    final SyncRunRecord run;
    private final AtomicBoolean stopRequested;
    private final AtomicReference<RuntimeException> abortCause = new AtomicReference<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();
    /** Resource → epoch of the initial round that read it completely in this run. */
    private final Map<String, Long> initialRounds = new LinkedHashMap<>();
    private long pages;
    private long epoch;
    private boolean epochOpened;
    private long usersLeft;

    RunContext(SyncRunRecord run, AtomicBoolean stopRequested) {
        this.run = run;
        this.stopRequested = stopRequested;
        this.epoch = run.epoch();
        // RunStarter opened a full run's epoch; a delta run starts in the tenant's current one.
        this.epochOpened = run.mode() == SyncMode.FULL;
        this.usersLeft = run.limitUsers() == null ? Long.MAX_VALUE : run.limitUsers();
    }

    synchronized void count(String name, long n) {
        if (n != 0) {
            counts.merge(name, n, Long::sum);
        }
    }

    /** A page Kafka acknowledged, with what it counted. */
    synchronized void pagePublished(Map<String, Long> pageCounts) {
        pages++;
        pageCounts.forEach((name, n) -> count(name, n));
    }

    /**
     * One round of a run reading its resources in parallel failed: the others stop at their next page
     * (their acknowledged pages checkpointed), and the run ends with this failure.
     */
    void abort(RuntimeException cause) {
        abortCause.compareAndSet(null, cause);
    }

    Optional<RuntimeException> abortCause() {
        return Optional.ofNullable(abortCause.get());
    }

    synchronized void note(String note) {
        notes.add(note);
    }

    synchronized long epoch() {
        return epoch;
    }

    /**
     * The epoch of a new initial round that replaces expired or stale state: the run's own new epoch, opened
     * (through {@code openNext}) by the first such round of a delta run and reused by every later one, so
     * every resource the run reads completely is swept against the same epoch.
     */
    synchronized long resyncEpoch(LongSupplier openNext) {
        if (!epochOpened) {
            epoch = openNext.getAsLong();
            epochOpened = true;
        }
        return epoch;
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

    /** A resource read completely by an initial round of {@code roundEpoch}. */
    synchronized void initialRoundCompleted(String resource, long roundEpoch) {
        initialRounds.put(resource, roundEpoch);
    }

    /**
     * The resources read completely by an initial round in the run's epoch (SyncRun.initialRounds): a round
     * of an older epoch (completed before a later resource's resync opened the run's epoch, or resumed from
     * an older run's checkpoint) saw its objects in that older epoch, and a sweep against the run's epoch
     * would remove them all.
     */
    synchronized List<String> initialRounds() {
        // In the run's reading order, also when its rounds ran in parallel and completed in another.
        return run.resources().stream().filter(r -> initialRounds.containsKey(r) && initialRounds.get(r) == epoch)
                .toList();
    }

    synchronized RunProgress progress() {
        return new RunProgress(run.runId(), pages, counts);
    }

    boolean stopRequested() {
        return stopRequested.get() || abortCause.get() != null;
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
