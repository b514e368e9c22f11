package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.Topics;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.ServiceProcess;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.AuditTrail;
import dev.idsync.systemtests.topics.ReferenceSubscriber;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import dev.idsync.systemtests.topics.TopicRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7's must-show over everything the scenarios made the services publish (it runs last, and adds a
 * sync and a dry run of its own so it proves something also alone): every record of every idsync topic
 * is in audit-log's trail exactly once, by {@code ce_id}; after audit-log restarts with its consumer group
 * gone, so it reads every topic again from the beginning, still exactly once; every tenant's chain verifies.
 */
@Order(20)
@ExtendWith(ReferenceSubscriberCheck.class)
class AuditRecordsEveryEventOnceTest {

    private static final String GROUP = "audit-log";
    private static final Duration SETTLE = Duration.ofMinutes(3);

    @Test
    void every_record_of_every_topic_is_audited_exactly_once_also_after_a_replay_from_the_beginning() throws Exception {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        SyncRuns runs = new SyncRuns(stack, tokens);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.AUDIT);
        tenant.seed(200, 20, 500, 2);
        runs.runToCompletion(tenant.id(), "{\"mode\":\"dryRun\"}", SETTLE);
        runs.runToCompletion(tenant.id(), "{}", SETTLE);
        // A profile update of its own, so that every topic has records also when this scenario runs alone.
        String user = tenant.snapshot().path("users").get(0).path("id").asText();
        new ApiClient(stack.url(Stack.WRITER), tokens.writer())
                .patch("/api/tenants/" + tenant.id() + "/users/" + user + "/profile",
                        Map.of("entra", Map.of("jobTitle", "Audited title"), "local", Map.of()))
                .expect(200);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        Eventually.noDifferences("the profile update in the store", () -> "Audited title".equals(
                store.object(user).orElseThrow().attributes().get("jobTitle")) ? List.of() : List.of("not yet"), SETTLE);
        // Everything the run and the update lead to is published (processor and role-mapper included):
        // what the topics hold now is complete.
        ReferenceSubscriber subscriber = ReferenceSubscriber.shared(stack);
        subscriber.awaitDirectoryAgrees(tenant.id(), SETTLE);
        subscriber.awaitRolesAgree(tenant.id(), tokens, SETTLE);

        Instant t0 = Instant.now();
        Map<String, String> published = AuditTrail.publishedIds(stack);
        assertThat(new TreeSet<>(published.values())).as("topics with records (both layers)")
                .containsExactlyInAnyOrderElementsOf(Topics.ALL);
        Duration caughtUp = Eventually.noDifferences("audit trail against the topics",
                () -> AuditTrail.differences(published, AuditTrail.auditedIds(stack)), SETTLE);
        Timings.report("audit", "%d distinct events on %d topics, each audited once; audit-log caught up %d ms after the last run"
                .formatted(published.size(), Topics.ALL.size(), Duration.between(t0, Instant.now()).toMillis()));
        assertVerified(stack, tokens);

        // Replay: audit-log restarts with its consumer group gone, so it reads every topic from offset 0.
        Instant t1 = Instant.now();
        ServiceProcess audit = stack.restart(Stack.AUDIT, () -> deleteGroup(stack));
        awaitGroupAtEnd(stack);
        Duration replayed = Duration.between(t1, Instant.now());
        assertThat(duplicatesSkipped(audit)).as("events the replay found already recorded").isGreaterThanOrEqualTo(published.size());
        assertThat(AuditTrail.differences(AuditTrail.publishedIds(stack), AuditTrail.auditedIds(stack))).isEmpty();
        assertVerified(stack, tokens);
        Timings.report("audit", "replay of all %d records from the beginning (restart included) %d ms: still each once, every chain intact"
                .formatted(published.size(), replayed.toMillis()));
        assertThat(caughtUp).isNotNull();
    }

    private static void assertVerified(Stack stack, Tokens tokens) {
        assertThat(AuditTrail.chainTenants(stack)).contains(ScenarioTenant.AUDIT.id());
        assertThat(AuditTrail.brokenChains(stack, tokens)).as("chains that do not verify").isEmpty();
    }

    private static Admin admin(Stack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    /** The stopped audit-log left its group; deleting the group forgets its offsets (auto.offset.reset=earliest). */
    private static void deleteGroup(Stack stack) {
        try (Admin admin = admin(stack)) {
            Instant deadline = Instant.now().plusSeconds(60);
            while (true) {
                try {
                    admin.deleteConsumerGroups(List.of(GROUP)).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("cannot delete consumer group " + GROUP, e);
                    }
                    Thread.sleep(500);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Until the group's committed offsets have passed the last record of every partition: the replay is
     * complete. (Not the end offsets: after a transaction's last record comes its commit marker, which a
     * consumer never commits past.)
     */
    private static void awaitGroupAtEnd(Stack stack) throws Exception {
        Map<TopicPartition, Long> end = new HashMap<>();
        TopicRecords.forEach(stack.bootstrapServers(), Topics.ALL,
                r -> end.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
        try (Admin admin = admin(stack)) {
            Eventually.noDifferences("audit-log's group at the end of every topic", () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed =
                            admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                    List<String> behind = new ArrayList<>();
                    end.forEach((tp, offset) -> {
                        OffsetAndMetadata c = committed.get(tp);
                        if (offset > 0 && (c == null || c.offset() < offset)) {
                            behind.add(tp + " committed " + (c == null ? "nothing" : c.offset()) + " of " + offset);
                        }
                    });
                    return behind;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (ExecutionException e) {
                    return List.of("group offsets not readable: " + e.getCause());
                }
            }, SETTLE);
        }
    }

    /** audit-log's own count of events it skipped as already recorded (its Prometheus metric). */
    private static double duplicatesSkipped(ServiceProcess audit) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(audit.url() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(l -> l.startsWith("idsync_audit_events_duplicate_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
