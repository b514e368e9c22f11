package dev.idsync.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Kafka and PostgreSQL for the local stack, with the idsync topics and the env file: what
 * {@link LocalInfraMain} runs. {@link #close()} removes everything {@link #start} created.
 */
final class LocalStack implements AutoCloseable {

    /**
     * The local stack's broker serves benchmarks and long sessions, so it gets the default JIT and
     * collector and a bigger heap than a test broker ({@link KafkaSettings#DEFAULT_JVM_OPTIONS}).
     */
    static final List<String> BROKER_JVM_OPTIONS = List.of("-Xms128m", "-Xmx1g", "-Djava.awt.headless=true");

    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final Path envFile;
    private final Path createdWorkDir;

    private LocalStack(LocalKafka kafka, LocalPostgres postgres, Path envFile, Path createdWorkDir) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.envFile = envFile;
        this.createdWorkDir = createdWorkDir;
    }

    static LocalStack start(MainArgs args) {
        Path root = args.workDir().map(Path::toAbsolutePath).orElseGet(OwnedDirectory::defaultRoot);
        Path createdWorkDir = Files.exists(root) ? null : root;
        KafkaSettings settings = KafkaSettings.defaults().withPreferredPort(args.kafkaPort()).withWorkRoot(root);
        if (System.getProperty(KafkaSettings.JVM_OPTIONS_PROPERTY) == null) {
            settings = settings.withJvmOptions(BROKER_JVM_OPTIONS);
        }
        KafkaSettings kafkaSettings = settings;
        // Both at once: on two cores PostgreSQL's ~1 s hides behind the broker's JVM start.
        CompletableFuture<LocalKafka> kafka = CompletableFuture.supplyAsync(() -> LocalKafka.start(kafkaSettings));
        CompletableFuture<LocalPostgres> postgres = CompletableFuture.supplyAsync(() -> LocalPostgres.start(args.postgresPort(), root));
        try {
            CompletableFuture.allOf(kafka, postgres).join();
            LocalStack stack = new LocalStack(kafka.join(), postgres.join(), args.envFile().toAbsolutePath(), createdWorkDir);
            stack.kafka.createTopics(IdsyncTopics.specs());
            EnvFile.of(stack.kafka, stack.postgres).writeTo(stack.envFile);
            return stack;
        } catch (RuntimeException e) {
            // Stop whichever did start before reporting why the other did not.
            kafka.thenAccept(LocalKafka::close);
            postgres.thenAccept(LocalPostgres::close);
            kafka.exceptionally(x -> null).join();
            postgres.exceptionally(x -> null).join();
            deleteIfEmpty(createdWorkDir);
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    LocalKafka kafka() {
        return kafka;
    }

    LocalPostgres postgres() {
        return postgres;
    }

    Path envFile() {
        return envFile;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable server : List.<AutoCloseable>of(postgres, kafka)) {
            try {
                server.close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("stopping the local stack failed", e) : failure;
            }
        }
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deleteIfEmpty(createdWorkDir);
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteIfEmpty(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty (another JVM's data in a shared work dir) or already gone: leave it
        }
    }
}
