package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.GroupUpserted;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.UserUpserted;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md invariant 12: a run opens at most one new epoch. A delta run opens it at its first resync and
 * every later resync of the run reuses it, so the completion names one epoch, every resource read completely
 * in it, and every observation after the first resync carries it; a consumer that sweeps each named resource
 * against that epoch never removes an object the run saw.
 */
@QuarkusTest
class OneRunOneEpochTest extends PollerQuarkusTest {

    private static final String ALL = "{}";

    @Test
    void expired_users_and_groups_tokens_give_one_new_epoch_for_both_initial_rounds_and_every_observation() {
        String tenant = "poller-epoch-both";
        support.createTenant(tenant, 150, 10, 300, 2);
        JsonPath first = support.runToCompletion(tenant, ALL, Duration.ofMinutes(1));
        invalidate(tenant, "[\"users\",\"groups\"]");

        JsonPath second = support.runToCompletion(tenant, ALL, Duration.ofMinutes(1));

        long epoch = first.getLong("epoch") + 1;
        assertThat(second.getLong("epoch")).isEqualTo(epoch);
        assertThat(second.getMap("counts")).containsEntry("resyncs", 2).containsEntry("user.upserted", 150)
                .containsEntry("group.upserted", 10);
        assertThat(second.getList("notes", String.class)).filteredOn(n -> n.contains("new initial round"))
                .hasSize(2).allSatisfy(n -> assertThat(n).endsWith("in epoch " + epoch));
        SyncRunCompleted completed = completion(tenant, second.getString("runId"));
        assertThat(completed.epoch()).isEqualTo(epoch);
        assertThat(completed.data().initialRounds()).containsExactly("users", "groups");
        assertThat(support.pageObservationsOfRun(tenant, second.getString("runId")))
                .allSatisfy(e -> assertThat(e.epoch()).as("epoch of %s", e).isEqualTo(epoch));
        // The epoch opened once: the next full run opens the one after it.
        JsonPath full = support.runToCompletion(tenant, "{\"mode\":\"full\"}", Duration.ofMinutes(1));
        assertThat(full.getLong("epoch")).isEqualTo(epoch + 1);
    }

    @Test
    void an_expired_users_token_opens_the_runs_epoch_which_the_later_delta_rounds_carry_too() {
        String tenant = "poller-epoch-users";
        support.createTenant(tenant, 120, 8, 200, 2);
        JsonPath first = support.runToCompletion(tenant, ALL, Duration.ofMinutes(1));
        String group = support.snapshot(tenant).path("groups").get(0).path("id").asText();
        support.control().post("/_emulator/tenants/" + tenant + "/mutations",
                "{\"operations\":[{\"op\":\"updateGroup\",\"id\":\"" + group + "\",\"properties\":{\"description\":\"renamed\"}}]}");
        invalidate(tenant, "[\"users\"]");

        JsonPath second = support.runToCompletion(tenant, ALL, Duration.ofMinutes(1));

        long epoch = first.getLong("epoch") + 1;
        assertThat(second.getMap("counts")).containsEntry("resyncs", 1).containsEntry("group.upserted", 1);
        SyncRunCompleted completed = completion(tenant, second.getString("runId"));
        assertThat(completed.epoch()).isEqualTo(epoch);
        assertThat(completed.data().initialRounds()).containsExactly("users");
        List<SyncEvent> observed = support.pageObservationsOfRun(tenant, second.getString("runId"));
        assertThat(observed).filteredOn(UserUpserted.class::isInstance).hasSize(120);
        assertThat(observed).filteredOn(GroupUpserted.class::isInstance).singleElement()
                .satisfies(g -> assertThat(g.objectId()).isEqualTo(group));
        assertThat(observed).allSatisfy(e -> assertThat(e.epoch()).as("epoch of %s", e).isEqualTo(epoch));
    }

    @Test
    void an_initial_round_completed_before_a_later_resync_opened_the_runs_epoch_is_not_named_for_a_sweep() {
        String tenant = "poller-epoch-late";
        support.createTenant(tenant, 80, 6, 100, 1);
        // Only groups has state; users' first round comes in the next run, before groups' token is found expired.
        JsonPath first = support.runToCompletion(tenant, "{\"resources\":[\"groups\"]}", Duration.ofMinutes(1));
        invalidate(tenant, "[\"groups\"]");

        JsonPath second = support.runToCompletion(tenant, "{\"resources\":[\"users\",\"groups\"]}", Duration.ofMinutes(1));

        long before = first.getLong("epoch");
        SyncRunCompleted completed = completion(tenant, second.getString("runId"));
        assertThat(completed.epoch()).isEqualTo(before + 1);
        // users was read completely, but in the older epoch: sweeping it against the new one would remove every user.
        assertThat(completed.data().initialRounds()).containsExactly("groups");
        List<SyncEvent> observed = support.pageObservationsOfRun(tenant, second.getString("runId"));
        assertThat(observed).filteredOn(UserUpserted.class::isInstance).hasSize(80)
                .allSatisfy(e -> assertThat(e.epoch()).isEqualTo(before));
        assertThat(observed).filteredOn(GroupUpserted.class::isInstance).hasSize(6)
                .allSatisfy(e -> assertThat(e.epoch()).isEqualTo(before + 1));
    }

    private void invalidate(String tenant, String resources) {
        support.control().post("/_emulator/tenants/" + tenant + "/delta-tokens/invalidate",
                "{\"response\":\"GONE\",\"resources\":" + resources + "}");
    }

    /** The run's completion as delta-processor reads it: on the observation topic, after the run's pages. */
    private SyncRunCompleted completion(String tenant, String runId) {
        List<SyncEvent> ofRun = support.observations(tenant).stream().filter(e -> runId.equals(e.runId())).toList();
        assertThat(ofRun.get(ofRun.size() - 1)).isInstanceOf(SyncRunCompleted.class);
        return (SyncRunCompleted) ofRun.get(ofRun.size() - 1);
    }
}
