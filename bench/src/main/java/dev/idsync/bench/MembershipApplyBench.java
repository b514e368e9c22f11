package dev.idsync.bench;

import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.infra.IdsyncTopics;
import dev.idsync.infra.KafkaSettings;
import dev.idsync.infra.LocalEmulator;
import dev.idsync.infra.LocalKafka;
import dev.idsync.infra.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The delta-processor's apply rate for membership events against a raw JDBC batch upsert of the same
 * rows, on the same machine in the same run (issue 4).
 *
 * <ol>
 *   <li>Starts local-infra's broker (the local stack's JVM options, idsync's topics as {@link IdsyncTopics#specs()}
 *       creates them: the public ones compacted) and PostgreSQL, and the emulator as the OIDC issuer the
 *       processor needs to start.</li>
 *   <li>Publishes, as graph-poller does, one delta run of what Graph said to {@link Topics#GRAPH_OBSERVATIONS}
 *       keyed by the tenant ({@link SyncEventRecords#observation}): {@code syncrun.started},
 *       {@code groups × members} {@code membership.added}, {@code syncrun.completed}; the sync-events
 *       serializer and graph-poller's producer settings (acks=all, idempotent, linger 5 ms, 256 KiB
 *       batches). Members are drawn from {@code users} user ids, so each user is in several groups as in a
 *       real tenant. One tenant is one partition, as in production.</li>
 *   <li>Then starts the real delta-processor (its built fast-jar, as {@code deploy/local/idsync} does)
 *       against that backlog, and measures from the first applied row to (a) the store holding all of them
 *       (its {@code events.applied} counter polled, the row count checked at the end) and (b) all of them
 *       published by its outbox relay to {@link Topics#MEMBERSHIPS} (the topic's end offsets: only the
 *       processor writes it here): rows/s through the topics, deserialization, folding, placeholders, the
 *       transaction with its outbox rows and the output hop included.</li>
 *   <li>Then upserts the same rows with raw JDBC into a scratch table of the same shape
 *       ({@code like directory.memberships including all}): one thread, the applier's own upsert
 *       statement, {@code reWriteBatchedInserts=true}, batches of 1,000, a commit per batch.</li>
 * </ol>
 * Publishing first and starting the processor on the backlog keeps the producer off the two cores while
 * the processor applies (otherwise the rate is the producer's).
 *
 * <pre>
 * java -cp 'bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*' dev.idsync.bench.MembershipApplyBench \
 *     [--groups 1000] [--members 1000] [--users 100000] [--jdbc-first]
 * </pre>
 * Needs the built {@code delta-processor/target/quarkus-app} and {@code graph-emulator/target/quarkus-app}
 * (run from the repository root, or set {@code -Didsync.processor.app=} / {@code -Didsync.emulator.app=}).
 */
public final class MembershipApplyBench {

    private static final String TENANT = "bench";
    private static final String PROCESSOR_JAR = "delta-processor/target/quarkus-app/quarkus-run.jar";
    /** The JVM options deploy/local/idsync starts every service with. */
    private static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC");
    private static final List<String> BROKER_JVM_OPTIONS = List.of("-Xms128m", "-Xmx1g", "-Djava.awt.headless=true");
    private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(20);
    private static final String RUN_ID = "bench-run";
    private static final int JDBC_BATCH = 1000;

    /** The same statement as DirectoryBatchApplier's membership upsert, on the scratch table. */
    private static final String UPSERT = """
            insert into bench.memberships as m (tenant_id, container_id, member_id, container_kind, member_type, present,
                                                observed_at, run_id, epoch)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (tenant_id, container_id, member_id) do update set
                member_type = excluded.member_type,
                present = excluded.present,
                observed_at = excluded.observed_at,
                run_id = excluded.run_id,
                epoch = excluded.epoch,
                updated_at = now()
            where m.observed_at < excluded.observed_at
            """;

    private MembershipApplyBench() {
    }

    public static void main(String[] args) throws Exception {
        int groups = 1000;
        int members = 1000;
        int users = 100_000;
        boolean jdbcFirst = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--groups" -> groups = Integer.parseInt(args[++i]);
                case "--members" -> members = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--jdbc-first" -> jdbcFirst = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (members > users) {
            throw new IllegalArgumentException("--members must not exceed --users (members of a group are distinct)");
        }
        long rows = (long) groups * members;
        Path processorJar = locate(System.getProperty("idsync.processor.app"), PROCESSOR_JAR);
        System.out.printf("%,d membership.added events: %,d groups x %,d members drawn from %,d users; %d cores%n",
                rows, groups, members, users, Runtime.getRuntime().availableProcessors());

        Instant t0 = Instant.now();
        try (LocalKafka kafka = LocalKafka.start(KafkaSettings.defaults().withPreferredPort(0)
                .withJvmOptions(BROKER_JVM_OPTIONS));
                LocalPostgres postgres = LocalPostgres.start(0);
                LocalEmulator emulator = LocalEmulator.start()) {
            kafka.createTopics(IdsyncTopics.specs());
            System.out.printf("infra up in %d ms (broker, PostgreSQL, emulator)%n", Duration.between(t0, Instant.now()).toMillis());

            double publishSeconds = publish(kafka.bootstrapServers(), groups, members, users);
            System.out.printf("published %,d events in %.1f s (%,.0f events/s, acks=all, idempotent)%n",
                    rows, publishSeconds, rows / publishSeconds);

            // The order can be swapped to see whether going second (warm caches, a bigger database) matters.
            Result jdbc = jdbcFirst ? rawJdbc(postgres, groups, members, users) : null;
            Result processor = runProcessor(processorJar, kafka, postgres, emulator, rows);
            if (!jdbcFirst) {
                jdbc = rawJdbc(postgres, groups, members, users);
            }

            System.out.println();
            System.out.printf("delta-processor, observations to store: %,d rows in %.1f s = %,.0f rows/s"
                    + " (first to last applied row; startup %.1f s not counted)%n",
                    processor.rows, processor.seconds, processor.rate(), processor.startupSeconds);
            System.out.printf("delta-processor, observations to store and directory topic: %,d rows in %.1f s = %,.0f rows/s"
                    + " (first applied row to last membership published by the outbox relay)%n",
                    processor.rows, processor.publishedSeconds, processor.publishedRate());
            System.out.printf("raw JDBC batch upsert (1 thread, batches of %d, commit each): %,d rows in %.1f s = %,.0f rows/s%n",
                    JDBC_BATCH, jdbc.rows, jdbc.seconds, jdbc.rate());
            System.out.printf("ratio processor / raw JDBC = %.2f (to store), %.2f (to store and topic)%n",
                    processor.rate() / jdbc.rate(), processor.publishedRate() / jdbc.rate());
        }
    }

    /**
     * @param seconds          first to last applied row (the store)
     * @param publishedSeconds first applied row to the last one published to the directory topic
     */
    private record Result(long rows, double seconds, double publishedSeconds, double startupSeconds) {
        double rate() {
            return rows / seconds;
        }

        double publishedRate() {
            return rows / publishedSeconds;
        }
    }

    private static MembershipAdded event(String runId, Instant observedAt, int group, int slot, int users) {
        int user = (int) (((long) group * 100 + slot) % users);
        return MembershipAdded.of(TENANT, "group-" + group, runId, 1, observedAt, "user-" + user, MemberType.USER);
    }

    private static double publish(String bootstrap, int groups, int members, int users) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "bench-memberships",
                SyncEventSerializer.SOURCE_CONFIG, "urn:idsync:bench");
        Instant observedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback failed = (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        // A delta run as graph-poller publishes it: its markers in line with its observations, one partition.
        SyncRun run = new SyncRun(SyncMode.DELTA, List.of("groups"), Map.of(), null);
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<String, SyncEvent>(config, new StringSerializer(), new SyncEventSerializer())) {
            producer.send(SyncEventRecords.observation(new SyncRunStarted(TENANT, RUN_ID, RUN_ID, 1, observedAt, run)), failed);
            for (int g = 0; g < groups; g++) {
                for (int m = 0; m < members; m++) {
                    producer.send(SyncEventRecords.observation(event(RUN_ID, observedAt, g, m, users)), failed);
                }
            }
            producer.send(SyncEventRecords.observation(new SyncRunCompleted(TENANT, RUN_ID, RUN_ID, 1, observedAt,
                    new SyncRun(SyncMode.DELTA, List.of("groups"), Map.of("membershipsAdded", (long) groups * members), null))),
                    failed);
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a send failed", failure.get());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static Result runProcessor(Path jar, LocalKafka kafka, LocalPostgres postgres, LocalEmulator emulator,
            long rows) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SERVICE_JVM_OPTIONS);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Path log = Files.createTempFile("bench-delta-processor-", ".log");
        builder.redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("IDSYNC_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("IDSYNC_DB_URL", postgres.jdbcUrl());
        env.put("IDSYNC_DB_USER", postgres.username());
        env.put("IDSYNC_DB_PASSWORD", postgres.password());
        // The APIs' bearer tokens come from the emulator's demo tenant, as in the local stack.
        env.put("IDSYNC_OIDC_ISSUER", emulator.url() + "/contoso/v2.0");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        String metrics = "http://127.0.0.1:" + port + "/q/metrics";
        HttpClient http = HttpClient.newHttpClient();

        long launched = System.nanoTime();
        Process process = builder.start();
        try (PublishedCount published = new PublishedCount(kafka.bootstrapServers(), Topics.MEMBERSHIPS)) {
            Double firstApplied = null;
            long first = 0;
            long last = 0;
            long lastPublished = 0;
            double applied = 0;
            long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
            // The run markers may count as applied events too: the store's row count below is the check.
            while (applied < rows || lastPublished == 0) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the processor exited (" + process.exitValue() + "); see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the processor applied " + applied + " events and published "
                            + published.now() + " of " + rows + " memberships; see " + log);
                }
                Thread.sleep(250);
                Double value = appliedEvents(http, metrics);
                if (value == null) {
                    continue; // not listening yet
                }
                applied = value;
                long now = System.nanoTime();
                if (firstApplied == null && applied > 0) {
                    firstApplied = applied;
                    first = now;
                }
                if (last == 0 && applied >= rows) {
                    last = now;
                }
                if (lastPublished == 0 && firstApplied != null && published.now() >= rows) {
                    lastPublished = now;
                }
            }
            long stored = count(postgres, "select count(*) from directory.memberships where tenant_id = '" + TENANT
                    + "' and present");
            if (stored != rows) {
                throw new IllegalStateException("the store holds " + stored + " memberships, expected " + rows);
            }
            // The first observation already counted some events whose time is before 'first': leave them out.
            double seconds = (last - first) / 1e9;
            long measuredRows = rows - firstApplied.longValue();
            System.out.printf("processor: %,d rows stored; first batch seen %.1f s after launch; %,d placeholder objects%n",
                    stored, (first - launched) / 1e9,
                    count(postgres, "select count(*) from directory.objects where tenant_id = '" + TENANT + "' and placeholder"));
            return new Result(measuredRows, seconds, (lastPublished - first) / 1e9, (first - launched) / 1e9);
        } finally {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * How many records the processor has published to a directory topic so far: the sum of its partitions'
     * end offsets. The outbox relay's producer is idempotent, not transactional, so no offset is a commit
     * marker; a record published twice after a relay retry counts twice (the store's count is the check).
     */
    private static final class PublishedCount implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions;

        PublishedCount(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        }

        long now() {
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static final Pattern APPLIED = Pattern.compile("^idsync_processor_events_applied_total(?:\\{[^}]*})? (\\S+)$",
            Pattern.MULTILINE);

    /** The processor's applied-events counter (counted after each batch's commit), or null if not up yet. */
    private static Double appliedEvents(HttpClient http, String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            Matcher m = APPLIED.matcher(response.body());
            return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Result rawJdbc(LocalPostgres postgres, int groups, int members, int users) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", postgres.username());
        props.setProperty("password", postgres.password());
        props.setProperty("reWriteBatchedInserts", "true");
        Instant observedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), props)) {
            try (Statement ddl = c.createStatement()) {
                ddl.execute("create schema if not exists bench");
                ddl.execute("drop table if exists bench.memberships");
                // The same shape as the store's table (columns, defaults, primary key, partial index). Going
                // first, the processor's Flyway has not run yet: the shape is V2's, spelled out.
                ddl.execute(tableExists(c, "directory.memberships")
                        ? "create table bench.memberships (like directory.memberships including all)"
                        : MEMBERSHIPS_SHAPE);
            }
            c.setAutoCommit(false);
            long rows = 0;
            long start = System.nanoTime();
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                Timestamp at = Timestamp.from(observedAt);
                int inBatch = 0;
                for (int g = 0; g < groups; g++) {
                    for (int m = 0; m < members; m++) {
                        MembershipAdded e = event("bench-run", observedAt, g, m, users);
                        upsert.setString(1, e.tenantId());
                        upsert.setString(2, e.groupId());
                        upsert.setString(3, e.data().memberId());
                        upsert.setString(4, "group");
                        upsert.setString(5, "user");
                        upsert.setBoolean(6, true);
                        upsert.setTimestamp(7, at);
                        upsert.setString(8, e.runId());
                        upsert.setLong(9, e.epoch());
                        upsert.addBatch();
                        rows++;
                        if (++inBatch == JDBC_BATCH) {
                            upsert.executeBatch();
                            c.commit();
                            inBatch = 0;
                        }
                    }
                }
                if (inBatch > 0) {
                    upsert.executeBatch();
                    c.commit();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long stored = count(c, "select count(*) from bench.memberships");
            if (stored != rows) {
                throw new IllegalStateException("the scratch table holds " + stored + " rows, expected " + rows);
            }
            return new Result(rows, seconds, seconds, 0);
        }
    }

    /** directory.memberships as delta-processor's V2 migration creates it. */
    private static final String MEMBERSHIPS_SHAPE = """
            create table bench.memberships (
                tenant_id text not null, container_id text not null, member_id text not null,
                container_kind text not null check (container_kind in ('group', 'directoryRole')),
                member_type text not null, present boolean not null, observed_at timestamptz not null,
                run_id text, epoch bigint not null default 0, updated_at timestamptz not null default now(),
                primary key (tenant_id, container_id, member_id));
            create index on bench.memberships (tenant_id, member_id) where present
            """;

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select to_regclass(?) is not null")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long count(LocalPostgres postgres, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password())) {
            return count(c, sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement q = c.createStatement(); ResultSet rs = q.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The given path, or {@code inRepo} in the working directory or above it. */
    private static Path locate(String configured, String inRepo) {
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(inRepo))) {
                return dir.resolve(inRepo);
            }
        }
        throw new IllegalStateException(inRepo + " not found above " + Path.of("").toAbsolutePath()
                + "; build it (./mvnw -pl delta-processor package) or set -Didsync.processor.app=");
    }
}
