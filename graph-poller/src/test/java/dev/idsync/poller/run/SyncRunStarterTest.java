package dev.idsync.poller.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.CloudEventHeaders;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Starting a run publishes syncrun.started on the real runs topic and records the run in poller.sync_runs. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class SyncRunStarterTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    SyncRunStarter starter;

    @Inject
    SyncRunLedger ledger;

    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void a_started_run_is_published_keyed_by_run_and_recorded_as_running() {
        SyncRunRecord run = starter.start(tenant, SyncMode.DELTA, List.of("users", "groups"));

        assertThat(ledger.find(run.runId())).contains(run);
        ConsumerRecord<String, SyncEvent> record = runEventOf(run.runId());
        assertThat(record.key()).isEqualTo(tenant + ":" + run.runId());
        assertThat(CloudEventHeaders.source(record.headers())).contains("urn:idsync:graph-poller");
        assertThat(record.value()).isInstanceOfSatisfying(SyncRunStarted.class, started -> {
            assertThat(started.data().mode()).isEqualTo(SyncMode.DELTA);
            assertThat(started.data().resources()).containsExactly("users", "groups");
            assertThat(started.epoch()).isEqualTo(run.epoch());
        });
    }

    @Test
    void a_full_sync_opens_a_new_epoch_and_a_delta_run_stays_in_it() {
        SyncRunRecord first = starter.start(tenant, SyncMode.DELTA, List.of("users"));
        SyncRunRecord full = starter.start(tenant, SyncMode.FULL, List.of("users"));
        SyncRunRecord after = starter.start(tenant, SyncMode.DELTA, List.of("users"));

        assertThat(full.epoch()).isEqualTo(first.epoch() + 1);
        assertThat(after.epoch()).isEqualTo(full.epoch());
        assertThat(runEventOf(full.runId()).value().epoch()).isEqualTo(full.epoch());
    }

    private ConsumerRecord<String, SyncEvent> runEventOf(String runId) {
        List<ConsumerRecord<String, SyncEvent>> records = EventTopicProbe.readUntil(bootstrapServers, Topics.SYNC_RUNS,
                seen -> seen.stream().anyMatch(r -> runId.equals(r.value().runId())), Duration.ofSeconds(30));
        return records.stream().filter(r -> runId.equals(r.value().runId())).findFirst().orElseThrow();
    }
}
