package dev.idsync.infra.test;

import dev.idsync.infra.IdsyncTopics;
import dev.idsync.infra.LocalEmulator;
import dev.idsync.infra.LocalKafka;
import dev.idsync.infra.LocalPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one broker and the one PostgreSQL of a test JVM, started on first use and stopped by a JVM
 * shutdown hook, shared by every test class and every Quarkus restart.
 *
 * <p>Reached through {@link SharedInfraBridge}, which loads this class in the system class loader, so
 * that its statics really are per JVM (Quarkus loads test resources once per application class loader)
 * and the shutdown hook never runs code from a class loader Quarkus has closed. Hence the JDK-only
 * signatures ({@code Map<String, String>}).
 *
 * <p>The backend is chosen by system property (or environment variable {@code IDSYNC_INFRA})
 * {@value #MODE_PROPERTY}: unset or {@code local} for local processes, {@code testcontainers} for
 * containers. The container backend is loaded by name only when chosen, so the default path never
 * touches a Testcontainers class.
 */
public final class SharedInfra {

    public static final String MODE_PROPERTY = "idsync.infra";
    static final String CONTAINERS_BACKEND = "dev.idsync.infra.test.containers.ContainersBackend";

    private static InfraBackend backend;
    private static InfraBackend.Started kafka;
    private static InfraBackend.Started postgres;
    private static LocalEmulator emulator;
    private static boolean hookInstalled;

    private SharedInfra() {
    }

    /**
     * Quarkus configuration for the shared broker, which has every idsync topic (and its DLQ), the compacted
     * ones compacted ({@link IdsyncTopics#specs()}: with {@code -Didsync.kafka.fast-compaction=true} their
     * segments are small, so compaction runs within seconds).
     */
    public static synchronized Map<String, String> kafkaConfig() {
        if (kafka == null) {
            kafka = withOwnClassLoader(() -> backend().startKafka(IdsyncTopics.specs()));
            installShutdownHook();
        }
        return kafka.config();
    }

    /** Quarkus configuration for the shared PostgreSQL (database idsync). */
    public static synchronized Map<String, String> postgresConfig() {
        if (postgres == null) {
            postgres = withOwnClassLoader(() -> backend().startPostgres());
            installShutdownHook();
        }
        return postgres.config();
    }

    /**
     * Configuration for the shared graph-emulator (always a local child JVM, also with the container
     * backend): its URLs and truststore, and the OIDC settings under which a service accepts the tokens
     * the emulator's demo tenant issues ({@link TestTokens}).
     */
    public static synchronized Map<String, String> emulatorConfig() {
        if (emulator == null) {
            emulator = withOwnClassLoader(LocalEmulator::start);
            installShutdownHook();
        }
        return EmulatorConfig.of(emulator.url(), emulator.authority(), emulator.truststore().toString());
    }

    /**
     * Stops the shared PostgreSQL server in place (data and port kept), as an operator's restart would:
     * for fault tests that let running services see the database go away. Only the local backend.
     */
    public static synchronized void stopPostgresServer() {
        localPostgres().stopServer();
    }

    /** Starts the server {@link #stopPostgresServer()} stopped, on the same port with the same data. */
    public static synchronized void startPostgresServer() {
        localPostgres().startServer();
    }

    /**
     * Stops the shared broker in place (log directory and ports kept), as an operator's restart would:
     * for fault tests that let running services see Kafka go away. Only the local backend.
     */
    public static synchronized void stopKafkaServer() {
        localKafka().stopBroker();
    }

    /** Starts the broker {@link #stopKafkaServer()} stopped, on the same port with the same data. */
    public static synchronized void startKafkaServer() {
        localKafka().startBroker();
    }

    private static LocalKafka localKafka() {
        kafkaConfig();
        if (kafka.server() instanceof LocalKafka local) {
            return local;
        }
        throw new UnsupportedOperationException("stopping Kafka in place needs the local backend, not " + kafka.server());
    }

    private static LocalPostgres localPostgres() {
        postgresConfig();
        if (postgres.server() instanceof LocalPostgres local) {
            return local;
        }
        throw new UnsupportedOperationException("stopping PostgreSQL in place needs the local backend, not " + postgres.server());
    }

    /** Stops everything (also what the shutdown hook does); the next use starts new ones. */
    public static synchronized void stopAll() {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable server : new AutoCloseable[] {
                emulator, postgres == null ? null : postgres.server(), kafka == null ? null : kafka.server()}) {
            if (server != null) {
                try {
                    server.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        emulator = null;
        postgres = null;
        kafka = null;
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("stopping the shared test infrastructure failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static InfraBackend backend() {
        if (backend == null) {
            String mode = System.getProperty(MODE_PROPERTY, System.getenv().getOrDefault("IDSYNC_INFRA", "local"));
            backend = switch (mode.trim().toLowerCase(Locale.ROOT)) {
                case "", "local" -> new LocalBackend();
                case "testcontainers" -> containersBackend();
                default -> throw new IllegalArgumentException(
                        MODE_PROPERTY + " must be 'local' or 'testcontainers', not '" + mode + "'");
            };
        }
        return backend;
    }

    private static InfraBackend containersBackend() {
        try {
            return (InfraBackend) Class.forName(CONTAINERS_BACKEND, true, SharedInfra.class.getClassLoader())
                    .getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(MODE_PROPERTY + "=testcontainers needs org.testcontainers:testcontainers-kafka "
                    + "and testcontainers-postgresql on the test class path (the root POM's 'testcontainers' profile adds them)", e);
        }
    }

    private static void installShutdownHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Thread hook = new Thread(SharedInfra::stopAll, "idsync-test-infra-stop");
        // Inherited otherwise, and the caller's may be a Quarkus class loader closed by the time it runs.
        hook.setContextClassLoader(SharedInfra.class.getClassLoader());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Runs {@code action} with this class's loader as context class loader: the caller's is a Quarkus
     * application class loader, and Kafka's clients load configured classes (reporters, serializers)
     * through the context class loader, which would mix classes of two loaders.
     */
    private static <T> T withOwnClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SharedInfra.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
