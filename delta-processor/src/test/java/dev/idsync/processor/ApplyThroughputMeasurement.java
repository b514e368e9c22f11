package dev.idsync.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.processor.store.DirectoryBatchApplier;
import dev.idsync.events.kafka.SyncEventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Apply throughput: user upserts and membership events are first put on the real observation topic, then
 * the time until the store holds all of them, and until the relay has published every decided event, is
 * measured (events/s, printed). The default size keeps the suite short;
 * {@code PROCESSOR_MEASURE_USERS=100000 PROCESSOR_MEASURE_MEMBERSHIPS=1000000} (an initial sync of 100,000
 * users) is the reported measurement. It asserts completeness, not a speed.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ApplyThroughputMeasurement {

    private static final Logger LOG = Logger.getLogger(ApplyThroughputMeasurement.class);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    AgroalDataSource dataSource;

    private static int size(String env, int fallback) {
        String value = System.getenv(env);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }

    /** Publishes like a busy poller would: batched and compressed, not one flush per event. */
    private void publishFast(List<SyncEvent> events) {
        try (KafkaProducer<String, SyncEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new SyncEventSerializer())) {
            for (SyncEvent event : events) {
                producer.send(SyncEventRecords.observation(event));
            }
            producer.flush();
        }
    }

    @Inject
    DirectoryBatchApplier applier;

    /** The store's side alone: the same events handed to the applier in poll-sized batches, no broker. */
    @Test
    void the_applier_alone_applies_poll_sized_batches_and_the_rate_is_reported() throws Exception {
        int users = size("PROCESSOR_MEASURE_USERS", 10_000);
        int memberships = size("PROCESSOR_MEASURE_MEMBERSHIPS", 50_000);
        String tenant = "perf-direct-" + UUID.randomUUID().toString().substring(0, 8);
        List<SyncEvent> events = events(tenant, users, memberships);
        StoreProbe store = new StoreProbe(dataSource, tenant);
        long start = System.nanoTime();
        long decided = 0;
        for (int from = 0; from < events.size(); from += 5000) {
            decided += applier.apply(events.subList(from, Math.min(events.size(), from + 5000))).decided();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String report = String.format("applier alone: %d user upserts + %d membership events in %.1f s = %.0f events/s"
                + " (store and outbox, %d decided events)", users, memberships, seconds, (users + memberships) / seconds,
                decided);
        LOG.info(report);
        System.out.println(report);
        // The relay publishes the outbox meanwhile (right after each batch in the service, on its schedule here).
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> store.outboxRowsMentioning(tenant) == 0);
        double published = (System.nanoTime() - start) / 1e9;
        report = String.format("relay: the %d decided events all published %.1f s after the first batch"
                + " (%.0f events/s through to Kafka)", decided, published, (users + memberships) / published);
        LOG.info(report);
        System.out.println(report);
        assertThat(store.count(
                "select count(*) from directory.objects where tenant_id = ? and kind = 'user' and not placeholder"))
                .isEqualTo(users);
    }

    /**
     * The applier's side of bench's MembershipApplyBench: the same membership.added rows (groups × members
     * drawn from users, member of group g at slot j = user (g·100 + j) mod users), poll-sized batches of
     * 5,000, no broker. {@code PROCESSOR_MEASURE_GROUPS=1000 PROCESSOR_MEASURE_MEMBERS=1000} is the bench's size.
     */
    @Test
    void the_applier_alone_applies_the_bench_memberships_and_the_rate_is_reported() throws Exception {
        int groups = size("PROCESSOR_MEASURE_GROUPS", 20);
        int members = size("PROCESSOR_MEASURE_MEMBERS", 1000);
        int users = 100_000;
        String tenant = "perf-bench-" + UUID.randomUUID().toString().substring(0, 8);
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        List<SyncEvent> events = new ArrayList<>(groups * members);
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < members; j++) {
                events.add(MembershipAdded.of(tenant, "group-" + g, "perf", 1, at,
                        "user-" + (((long) g * 100 + j) % users), MemberType.USER));
            }
        }
        long start = System.nanoTime();
        for (int from = 0; from < events.size(); from += 5000) {
            applier.apply(events.subList(from, Math.min(events.size(), from + 5000)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String report = String.format("applier alone, bench shape: %d membership.added (%d groups x %d members) in %.1f s = %.0f rows/s",
                events.size(), groups, members, seconds, events.size() / seconds);
        LOG.info(report);
        System.out.println(report);
        assertThat(new StoreProbe(dataSource, tenant).count(
                "select count(*) from directory.memberships where tenant_id = ? and present")).isEqualTo(events.size());
    }

    private static List<SyncEvent> events(String tenant, int users, int memberships) {
        int groups = Math.max(1, users / 100);
        Instant at = Instant.parse("2026-11-23T10:00:00Z");
        List<SyncEvent> events = new ArrayList<>(users + memberships);
        for (int i = 0; i < users; i++) {
            events.add(new UserUpserted(tenant, "u" + i, "perf", 1, at, Map.of("displayName", "User " + i,
                    "userPrincipalName", "u" + i + "@perf.example", "department", "D" + (i % 20), "accountEnabled", true)));
        }
        // Distinct memberships, as an initial sync reads them: member slot j of group g is user (g·100 + j) mod users.
        for (int i = 0; i < memberships; i++) {
            int g = i % groups;
            long j = i / groups;
            events.add(MembershipAdded.of(tenant, "g" + g, "perf", 1, at, "u" + ((g * 100L + j) % users),
                    MemberType.USER));
        }
        return events;
    }

    @Test
    void every_published_user_and_membership_is_applied_and_the_rate_is_reported() throws Exception {
        int users = size("PROCESSOR_MEASURE_USERS", 10_000);
        int memberships = size("PROCESSOR_MEASURE_MEMBERSHIPS", 50_000);
        int groups = Math.max(1, users / 100);
        String tenant = "perf-" + UUID.randomUUID().toString().substring(0, 8);
        List<SyncEvent> events = events(tenant, users, memberships);
        // Distinct (group, member) pairs are what the store ends up with.
        long distinct = events.stream().filter(e -> e instanceof MembershipAdded)
                .map(e -> e.objectId() + "/" + ((MembershipAdded) e).data().memberId()).distinct().count();
        StoreProbe store = new StoreProbe(dataSource, tenant);

        long start = System.nanoTime();
        publishFast(events);
        long published = System.nanoTime();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() ->
                store.count("select count(*) from directory.memberships where tenant_id = ?") == distinct
                        && store.count("select count(*) from directory.objects where tenant_id = ? and kind = 'user' and not placeholder") == users);
        long done = System.nanoTime();

        double seconds = (done - start) / 1e9;
        // The store's own clock: from the first to the last transaction that wrote a row of this tenant.
        double applyWindow = store.count("""
                select (extract(epoch from max(t) - min(t)) * 1000)::bigint from (
                    select updated_at t from directory.objects where tenant_id = ?
                    union all select updated_at from directory.memberships where tenant_id = '%s') x""".formatted(tenant)) / 1000.0;
        String report = String.format("apply throughput: %d user upserts + %d membership events; published in %.1f s,"
                        + " all applied %.1f s after the first publish (%.0f events/s end to end); first to last"
                        + " applying transaction %.1f s (%.0f events/s applied)",
                users, memberships, (published - start) / 1e9, seconds, (users + memberships) / seconds,
                applyWindow, (users + memberships) / Math.max(applyWindow, 0.001));
        LOG.info(report);
        System.out.println(report);
        // What was decided reaches the public topics through the outbox, right after each batch.
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> store.outboxRowsMentioning(tenant) == 0);
        report = String.format("relay: every decided event published %.1f s after the first publish",
                (System.nanoTime() - start) / 1e9);
        LOG.info(report);
        System.out.println(report);
        assertThat(store.count("select count(*) from directory.objects where tenant_id = ? and kind = 'group'")).isEqualTo(groups);
    }
}
