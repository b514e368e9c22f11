package dev.idsync.bench.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor idsync is measured against, on the same broker and PostgreSQL in the same run, with no idsync
 * code: the same number of records as the idsync run's observations, split into users, groups and
 * memberships in the tenant's proportions, produced to three topics (3 partitions, acks=all, idempotent,
 * lz4, linger 5 ms, 256 KiB batches) while one consumer reads all three and batch-upserts each poll into
 * three tables ({@code insert … on conflict do update}, reWriteBatchedInserts, one transaction and one
 * offset commit per poll of up to 5,000). The values are JSON of about the size of idsync's CloudEvents.
 * Timed from the first send to the commit of the last row.
 */
final class RawFloor {

    record Result(long records, double seconds) {
        double rate() {
            return records / seconds;
        }
    }

    private static final List<String> TOPICS = List.of("bench.raw.users", "bench.raw.groups", "bench.raw.memberships");

    private RawFloor() {
    }

    static Result run(String bootstrap, String jdbcUrl, String user, String password, long users, long groups,
            long memberships) throws Exception {
        long total = users + groups + memberships;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(TOPICS.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get();
        }
        Properties db = new Properties();
        db.setProperty("user", user);
        db.setProperty("password", password);
        db.setProperty("reWriteBatchedInserts", "true");
        try (Connection c = DriverManager.getConnection(jdbcUrl, db); Statement s = c.createStatement()) {
            s.execute("create schema if not exists bench_raw");
            s.execute("drop table if exists bench_raw.users, bench_raw.groups, bench_raw.memberships");
            s.execute("create table bench_raw.users (id text primary key, attributes jsonb not null, observed_at bigint not null)");
            s.execute("create table bench_raw.groups (id text primary key, attributes jsonb not null, observed_at bigint not null)");
            s.execute("create table bench_raw.memberships (group_id text, member_id text, observed_at bigint not null,"
                    + " primary key (group_id, member_id))");
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        Thread producer = Thread.ofPlatform().name("raw-producer").start(() -> {
            try {
                produce(bootstrap, users, groups, memberships);
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        });
        long stored = consume(bootstrap, jdbcUrl, db, total, failure);
        double seconds = (System.nanoTime() - start) / 1e9;
        producer.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Result(stored, seconds);
    }

    private static void produce(String bootstrap, long users, long groups, long memberships) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (var p = new KafkaProducer<String, String>(config, new StringSerializer(), new StringSerializer())) {
            for (long i = 0; i < users; i++) {
                String id = "user-" + i;
                p.send(new ProducerRecord<>(TOPICS.get(0), id, userJson(id, i)));
            }
            for (long i = 0; i < groups; i++) {
                String id = "group-" + i;
                p.send(new ProducerRecord<>(TOPICS.get(1), id, "{\"type\":\"group.upserted\",\"id\":\"" + id
                        + "\",\"time\":\"2026-12-06T12:00:00Z\",\"data\":{\"displayName\":\"Group " + i
                        + "\",\"mailNickname\":\"group" + i + "\",\"securityEnabled\":true,\"groupTypes\":[]}}"));
            }
            for (long i = 0; i < memberships; i++) {
                // distinct pairs: slot i / groups of group i % groups (a repeated pair in one batch would fail the upsert)
                long g = i % Math.max(groups, 1);
                String group = "group-" + g;
                String member = "user-" + ((g * 37 + i / Math.max(groups, 1)) % Math.max(users, 1));
                p.send(new ProducerRecord<>(TOPICS.get(2), group + ":" + member, "{\"type\":\"membership.added\",\"groupId\":\""
                        + group + "\",\"time\":\"2026-12-06T12:00:00Z\",\"data\":{\"memberId\":\"" + member
                        + "\",\"memberType\":\"user\",\"index\":" + i + "}}"));
            }
            p.flush();
        }
    }

    private static String userJson(String id, long i) {
        return "{\"type\":\"user.upserted\",\"id\":\"" + id + "\",\"time\":\"2026-12-06T12:00:00Z\",\"data\":{"
                + "\"userPrincipalName\":\"" + id + "@contoso.example\",\"displayName\":\"User " + i + "\",\"givenName\":\"Given"
                + i + "\",\"surname\":\"Surname" + i + "\",\"mail\":\"" + id + "@contoso.example\",\"jobTitle\":\"Engineer\","
                + "\"department\":\"Dept " + (i % 50) + "\",\"companyName\":\"Contoso GmbH\",\"officeLocation\":\"Berlin\","
                + "\"businessPhones\":[\"+49 30 " + i + "\"],\"city\":\"Berlin\",\"country\":\"DE\",\"usageLocation\":\"DE\","
                + "\"employeeId\":\"E" + i + "\",\"accountEnabled\":true,\"createdDateTime\":\"2020-01-01T00:00:00Z\"}}";
    }

    private static long consume(String bootstrap, String jdbcUrl, Properties db, long total,
            AtomicReference<Exception> failure) throws SQLException {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-raw",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long stored = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        try (var consumer = new KafkaConsumer<String, String>(config, new StringDeserializer(), new StringDeserializer());
                Connection c = DriverManager.getConnection(jdbcUrl, db);
                PreparedStatement users = c.prepareStatement("""
                        insert into bench_raw.users as t (id, attributes, observed_at) values (?, ?::jsonb, ?)
                        on conflict (id) do update set attributes = excluded.attributes, observed_at = excluded.observed_at
                        where t.observed_at <= excluded.observed_at""");
                PreparedStatement groups = c.prepareStatement("""
                        insert into bench_raw.groups as t (id, attributes, observed_at) values (?, ?::jsonb, ?)
                        on conflict (id) do update set attributes = excluded.attributes, observed_at = excluded.observed_at
                        where t.observed_at <= excluded.observed_at""");
                PreparedStatement members = c.prepareStatement("""
                        insert into bench_raw.memberships as t (group_id, member_id, observed_at) values (?, ?, ?)
                        on conflict (group_id, member_id) do update set observed_at = excluded.observed_at
                        where t.observed_at <= excluded.observed_at""")) {
            c.setAutoCommit(false);
            consumer.subscribe(TOPICS);
            while (stored < total) {
                if (failure.get() != null || System.nanoTime() > deadline) {
                    throw new IllegalStateException("raw floor stopped at " + stored + " of " + total, failure.get());
                }
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                int u = 0;
                int g = 0;
                int m = 0;
                for (ConsumerRecord<String, String> r : records) {
                    switch (r.topic()) {
                        case "bench.raw.users" -> {
                            bind(users, r.key(), r.value(), r.timestamp());
                            u++;
                        }
                        case "bench.raw.groups" -> {
                            bind(groups, r.key(), r.value(), r.timestamp());
                            g++;
                        }
                        default -> {
                            int colon = r.key().indexOf(':');
                            members.setString(1, r.key().substring(0, colon));
                            members.setString(2, r.key().substring(colon + 1));
                            members.setLong(3, r.timestamp());
                            members.addBatch();
                            m++;
                        }
                    }
                }
                if (u > 0) {
                    users.executeBatch();
                }
                if (g > 0) {
                    groups.executeBatch();
                }
                if (m > 0) {
                    members.executeBatch();
                }
                c.commit();
                consumer.commitSync();
                stored += records.count();
            }
        }
        return stored;
    }

    private static void bind(PreparedStatement p, String id, String json, long at) throws SQLException {
        p.setString(1, id);
        p.setString(2, json);
        p.setLong(3, at);
        p.addBatch();
    }
}
