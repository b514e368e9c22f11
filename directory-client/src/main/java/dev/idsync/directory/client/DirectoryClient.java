package dev.idsync.directory.client;

import dev.idsync.directory.client.Progress.CatchUpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A subscriber of idsync's public directory topics (docs/CONTRACT.md): keeps a {@link DirectoryReplica} of
 * them and calls a {@link DirectoryListener} per change.
 *
 * <p><b>Bootstrap, then follow.</b> {@link #start} assigns every partition of the topics (no consumer-group
 * rebalancing), seeks to the beginning and notes the end offsets of that moment. The poll thread reads up
 * to them keeping each key's last record, applies those, reports {@link DirectoryListener#caughtUp()} and
 * from then on applies every record as it arrives. So "caught up" means: everything published before
 * {@link #start} is in the replica.
 *
 * <p><b>Threads.</b> One poll thread per client, started by {@link #start} and ended by {@link #close()}.
 * The replica is readable from any thread at any time. Records are read with {@code read_committed}.
 *
 * <pre>{@code
 * try (DirectoryClient client = DirectoryClient.bootstrap(
 *         DirectoryClientConfig.of("kafka:9092").withTenants("contoso"), Duration.ofMinutes(2))) {
 *     Map<String, DirectoryObject> users = client.replica().users("contoso");
 * }
 * }</pre>
 */
public final class DirectoryClient implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final DirectoryReplica replica;
    private final PollLoop loop;
    private final Progress progress;
    private final Map<TopicPartition, Long> bootstrapEnd;
    private final Thread thread;

    private DirectoryClient(DirectoryReplica replica, PollLoop loop, Progress progress,
            Map<TopicPartition, Long> bootstrapEnd) {
        this.replica = replica;
        this.loop = loop;
        this.progress = progress;
        this.bootstrapEnd = Map.copyOf(bootstrapEnd);
        // Daemon: a client its owner forgot to close must not keep the JVM alive.
        this.thread = Thread.ofPlatform().name("idsync-directory-client-" + THREADS.incrementAndGet()).daemon(true)
                .unstarted(loop);
    }

    /**
     * Connects, assigns every partition of the topics from offset 0 and starts the poll thread; returns at
     * once, before the bootstrap is complete ({@link #awaitCaughtUp}).
     *
     * @throws IllegalStateException if a topic does not exist
     */
    public static DirectoryClient start(DirectoryClientConfig config) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config.consumerProperties(), new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : config.topics().toRead(config.roleAssignments())) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // "Caught up" is reading to these: the last stable offsets now, as the consumer reads read_committed.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            DirectoryReplica replica = new DirectoryReplica();
            Progress progress = new Progress();
            PollLoop loop = new PollLoop(consumer, partitions, end, config,
                    new ChangeApplier(replica, config.listener()), progress);
            DirectoryClient client = new DirectoryClient(replica, loop, progress, end);
            client.thread.start(); // from here on the consumer belongs to the poll thread
            return client;
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            throw e;
        }
    }

    /** {@link #start} and {@link #awaitCaughtUp}: a client whose replica holds everything published so far. */
    public static DirectoryClient bootstrap(DirectoryClientConfig config, Duration timeout) {
        DirectoryClient client = start(config);
        try {
            client.awaitCaughtUp(timeout);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The replica; filled once the bootstrap is complete, then kept current. */
    public DirectoryReplica replica() {
        return replica;
    }

    /** Whether the bootstrap is complete. */
    public boolean isCaughtUp() {
        return progress.bootstrapped.isDone() && !progress.bootstrapped.isCompletedExceptionally();
    }

    /**
     * Waits until the bootstrap is complete: the replica holds every record up to the end offsets of the
     * moment the client started.
     *
     * @throws CatchUpTimeoutException if that takes longer than {@code timeout}
     * @throws IllegalStateException   if the client stopped (closed, or a fatal Kafka error)
     */
    public void awaitCaughtUp(Duration timeout) {
        await(progress.bootstrapped, timeout, "the bootstrap up to " + bootstrapEnd);
    }

    /**
     * Waits until the replica holds every record up to the topics' end offsets of <em>now</em> (and the
     * bootstrap is complete): after this returns, everything published before the call is applied and its
     * callbacks have run. E.g. a test that compares the replica with idsync's store after a run calls it
     * once the run's events are published.
     *
     * @throws CatchUpTimeoutException if that takes longer than {@code timeout}
     * @throws IllegalStateException   if the client stopped
     */
    public void catchUp(Duration timeout) {
        CatchUpRequest request = progress.requestCatchUp();
        loop.wake();
        await(request.done, timeout, "the end offsets of the call" + (request.target == null ? "" : " " + request.target));
    }

    /** Stops the poll thread (its current callback completes first) and closes the consumer. Idempotent. */
    @Override
    public void close() {
        loop.stop();
        if (Thread.currentThread() == thread) {
            return; // called from a callback: the loop ends after it
        }
        try {
            thread.join(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void await(CompletableFuture<Void> done, Duration timeout, String what) {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new CatchUpTimeoutException("the replica did not reach " + what + " within " + timeout
                    + "; its positions: " + progress.positions());
        } catch (ExecutionException e) {
            throw new IllegalStateException("the directory client stopped before reaching " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }
}
