package dev.idsync.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft, broker and controller combined) from the
 * {@code org.apache.kafka:kafka_2.13} jars, listening on 127.0.0.1.
 *
 * <p>The broker runs in its own JVM ({@link KafkaBrokerMain}) on this JVM's class path rather than
 * in-process. Both start equally fast here (see README.md for the measurements); the own JVM won on
 * cleanliness: Quarkus loads test resources in a class loader per application that it closes on restart
 * (an in-process broker's threads would keep running on a closed loader), the broker's logging and heap
 * stay out of the tests' JVM, and the broker dies with its parent even on {@code kill -9} (it stops when
 * its standard input closes). What a killed JVM leaves is only the directory, which the next start in
 * the same work root deletes.
 */
public final class LocalKafka implements AutoCloseable {

    private static final String KIND = "kafka";
    private static final int START_ATTEMPTS = 3;

    private volatile BrokerProcess broker;
    private final KRaftProperties config;
    private final KafkaSettings settings;
    private final Path directory;
    private final Duration startupTime;
    private volatile boolean closed;

    private LocalKafka(BrokerProcess broker, KRaftProperties config, KafkaSettings settings, Path directory,
            Duration startupTime) {
        this.broker = broker;
        this.config = config;
        this.settings = settings;
        this.directory = directory;
        this.startupTime = startupTime;
    }

    /** Starts a broker on {@code preferredPort} if it is free, else on any free port ({@code 0}: any). */
    public static LocalKafka start(int preferredPort) {
        return start(KafkaSettings.defaults().withPreferredPort(preferredPort));
    }

    public static LocalKafka start(KafkaSettings settings) {
        long begin = System.nanoTime();
        sweepOrphans(settings.workRoot());
        Path dir = OwnedDirectory.create(settings.workRoot(), KIND);
        try {
            for (int attempt = 1; ; attempt++) {
                // Only the first attempt tries the preferred ports; a lost race moves on to free ones.
                int preferred = attempt == 1 ? settings.preferredPort() : 0;
                int port = FreePorts.choose(preferred);
                int controllerPort = controllerPort(preferred, port);
                Path logDir = dir.resolve("data");
                OwnedDirectory.deleteRecursively(logDir);
                KRaftProperties config = new KRaftProperties(port, controllerPort, logDir);
                BrokerProcess broker = BrokerProcess.launch(dir, config, settings.jvmOptions());
                OwnedDirectory.recordServer(dir, broker.handle());
                try {
                    broker.awaitReady(settings.startTimeout());
                    return new LocalKafka(broker, config, settings, dir, Duration.ofNanos(System.nanoTime() - begin));
                } catch (BrokerProcess.PortTakenException e) {
                    if (attempt == START_ATTEMPTS) {
                        throw new IllegalStateException("the broker lost the race for a free port " + attempt + " times", e);
                    }
                }
            }
        } catch (RuntimeException e) {
            OwnedDirectory.deleteRecursively(dir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public int port() {
        return config.port();
    }

    /** The broker's directory: log dir, configuration and {@code broker.log}; deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** From {@link #start} being called to the broker serving clients. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Creates the topics that do not exist yet with {@code partitions} partitions (replication factor 1).
     * Idempotent: existing topics are left unchanged.
     */
    public void createTopics(Collection<String> names, int partitions) {
        KafkaTopics.create(bootstrapServers(), names, partitions);
    }

    /**
     * Creates the topics that do not exist yet as specified, e.g. {@link IdsyncTopics#specs()}. Idempotent:
     * existing topics are left unchanged.
     */
    public void createTopics(Collection<TopicSpec> topics) {
        KafkaTopics.create(bootstrapServers(), topics);
    }

    /** Completes when the broker JVM has exited, whether through {@link #close()} or not. */
    public CompletableFuture<?> terminated() {
        return broker.onExit();
    }

    /**
     * Stops the broker cleanly, as an operator's restart would, and keeps its log directory, so fault tests
     * can let clients see the broker gone for a while. {@link #startBroker()} brings it back on the same
     * ports with the same data (topics, records, committed offsets).
     */
    public synchronized void stopBroker() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        broker.stop();
    }

    /** Starts the broker {@link #stopBroker()} stopped, on the same ports with the same data; waits until it serves. */
    public synchronized void startBroker() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (broker.handle().isAlive()) {
            return;
        }
        BrokerProcess restarted = BrokerProcess.launch(directory, config, settings.jvmOptions());
        OwnedDirectory.recordServer(directory, restarted.handle());
        broker = restarted;
        restarted.awaitReady(settings.startTimeout());
    }

    /** Stops the broker cleanly (controlled shutdown) and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        broker.stop();
        OwnedDirectory.deleteRecursively(directory);
    }

    @Override
    public String toString() {
        return "LocalKafka[" + bootstrapServers() + ", " + directory + "]";
    }

    /** {@code port + 1} next to a preferred port (19092/19093 in the local stack), else any free one. */
    private static int controllerPort(int preferred, int port) {
        if (preferred != 0 && port == preferred && port < 65535 && FreePorts.isFree(port + 1)) {
            return port + 1;
        }
        return FreePorts.anyExcept(port);
    }

    /** Brokers of killed JVMs have exited already (their stdin closed); only their directories remain. */
    private static void sweepOrphans(Path root) {
        for (Path orphan : OwnedDirectory.claimOrphans(root, KIND)) {
            OwnedDirectory.liveServer(orphan).ifPresent(LocalKafka::terminate);
            OwnedDirectory.deleteRecursively(orphan);
        }
    }

    private static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
