package dev.idsync.directory.client;

import dev.idsync.directory.client.DirectoryTopics.Kind;
import dev.idsync.directory.client.Progress.CatchUpRequest;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.kafka.SyncEventDeserializer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The client's one thread: polls the assigned partitions, keeps each key's last record until the bootstrap
 * has reached the end offsets found at start, applies them, then applies every record as it comes. Between
 * polls it answers catch-up requests. The consumer is used by this thread only; other threads reach it
 * through {@link Consumer#wakeup()}, the one method Kafka allows them.
 */
final class PollLoop implements Runnable {

    private static final System.Logger LOG = System.getLogger(PollLoop.class.getName());
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> bootstrapEnd;
    private final DirectoryTopics topics;
    private final Predicate<String> tenants;
    private final ChangeApplier applier;
    private final DirectoryListener listener;
    private final Progress progress;
    private final Duration pollTimeout;
    private final boolean commits;
    private final SyncEventDeserializer deserializer = new SyncEventDeserializer();
    private final List<CatchUpRequest> pending = new ArrayList<>();
    /** Non-null until the bootstrap is applied. */
    private LastRecordPerKey bootstrap = new LastRecordPerKey();
    private volatile boolean running = true;

    PollLoop(Consumer<String, byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> bootstrapEnd,
            DirectoryClientConfig config, ChangeApplier applier, Progress progress) {
        this.consumer = consumer;
        this.partitions = List.copyOf(partitions);
        this.bootstrapEnd = Map.copyOf(bootstrapEnd);
        this.topics = config.topics();
        this.tenants = config.tenants();
        this.listener = config.listener();
        this.pollTimeout = config.pollTimeout();
        this.commits = config.commitsOffsets();
        this.applier = applier;
        this.progress = progress;
    }

    /** Ends the loop soon (its current callback finishes first). Idempotent. */
    void stop() {
        if (running) {
            running = false;
            consumer.wakeup();
        }
    }

    /** Interrupts a quiet poll so a new catch-up request is taken now, not after the poll timeout. */
    void wake() {
        consumer.wakeup();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            while (running) {
                try {
                    turn();
                } catch (WakeupException woken) {
                    // stop() or a catch-up request: the loop looks again.
                } catch (RetriableException retriable) {
                    // E.g. the broker away for a while (a restart): the replica stays as it is and the
                    // next turn tries again; only what Kafka calls fatal ends the client.
                    LOG.log(Level.WARNING, "the directory client retries after: " + retriable);
                }
            }
        } catch (RuntimeException | Error fatal) {
            failure = fatal;
            LOG.log(Level.ERROR, "the directory client stopped following the directory topics", fatal);
            applier.notify(() -> listener.failed(fatal));
        } finally {
            close(failure);
        }
    }

    private void turn() {
        takeCatchUpRequests();
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
        for (ConsumerRecord<String, byte[]> record : records) {
            handle(record);
        }
        // After the records, so a request completes only once what it waited for is applied.
        Map<TopicPartition, Long> at = positions();
        progress.positions(at);
        if (bootstrap != null && reached(at, bootstrapEnd)) {
            LastRecordPerKey complete = bootstrap;
            bootstrap = null;
            complete.applyTo(applier);
            applier.notify(listener::caughtUp);
            progress.bootstrapped.complete(null);
        }
        if (bootstrap == null) {
            pending.removeIf(request -> {
                if (request.target == null || !reached(at, request.target)) {
                    return false;
                }
                request.done.complete(null);
                return true;
            });
        }
        if (commits && !records.isEmpty()) {
            consumer.commitAsync((offsets, e) -> {
                if (e != null) {
                    // Retriable ones (the group coordinator still being found) are made good by the next commit.
                    LOG.log(e instanceof RetriableException
                            ? Level.DEBUG : Level.WARNING, "committing the replica's positions failed: " + e);
                }
            });
        }
    }

    /** New requests wait for the end offsets of this moment (read_committed: the last stable offsets). */
    private void takeCatchUpRequests() {
        pending.addAll(progress.drainNew());
        Map<TopicPartition, Long> now = null;
        for (CatchUpRequest request : pending) {
            if (request.target == null) {
                if (now == null) {
                    now = consumer.endOffsets(partitions);
                }
                request.target = now;
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        Kind kind = topics.kindOf(record.topic());
        String key = record.key();
        int colon = key == null ? -1 : key.indexOf(':');
        if (colon <= 0) {
            skip(record, "the key is not <tenantId>:…", null);
            return;
        }
        String tenant = key.substring(0, colon);
        if (!tenants.test(tenant)) {
            return;
        }
        if (record.value() == null) {
            if (bootstrap != null) {
                bootstrap.delete(kind, key);
            } else {
                applier.delete(record.topic(), kind, tenant, key);
            }
            return;
        }
        SyncEvent event;
        try {
            event = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException unreadable) {
            skip(record, "unreadable: " + unreadable.getMessage(), unreadable);
            return;
        }
        String refusal = ChangeApplier.refusal(kind, event);
        if (refusal == null && !tenant.equals(event.tenantId())) {
            refusal = "the key names tenant " + tenant + ", the event " + event.tenantId();
        }
        if (refusal != null) {
            skip(record, refusal, null);
        } else if (bootstrap != null) {
            bootstrap.put(kind, key, event);
        } else {
            applier.apply(key, event);
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, String reason, Exception cause) {
        SkippedRecord skipped = new SkippedRecord(record.topic(), record.partition(), record.offset(), record.key(),
                reason, cause);
        LOG.log(Level.WARNING, "skipped " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason);
        applier.notify(() -> listener.recordSkipped(skipped));
    }

    private Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> at = new HashMap<>();
        for (TopicPartition partition : partitions) {
            at.put(partition, consumer.position(partition));
        }
        return at;
    }

    private void commitFinalPositions() {
        try {
            consumer.commitSync(CLOSE_TIMEOUT);
        } catch (WakeupException stopping) {
            // The wakeup of stop() had not been used up by a poll: it is now, so the second call goes through.
            consumer.commitSync(CLOSE_TIMEOUT);
        }
    }

    private static boolean reached(Map<TopicPartition, Long> at, Map<TopicPartition, Long> target) {
        return target.entrySet().stream().allMatch(e -> at.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private void close(Throwable failure) {
        try {
            if (commits && failure == null) {
                commitFinalPositions();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "committing the replica's final positions failed: " + e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the consumer failed: " + e);
            }
            progress.stop(failure != null ? failure : new IllegalStateException("the directory client is closed"), pending);
        }
    }
}
