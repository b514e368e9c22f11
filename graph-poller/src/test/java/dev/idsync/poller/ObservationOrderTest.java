package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Graph's Date has whole seconds, and consumers let an observation win only over an older one. Runs one
 * right after the other (well within a second on a small tenant) must still publish an object's changes
 * with strictly increasing observedAt, or a restore in the same second as the deletion would lose.
 */
@QuarkusTest
class ObservationOrderTest extends PollerQuarkusTest {

    @Test
    void runs_within_the_same_second_publish_an_objects_changes_with_strictly_increasing_observedAt() {
        String tenant = "poller-ordering";
        support.createTenant(tenant, 20, 2, 20, 1);
        String users = "{\"resources\":[\"users\"]}";
        support.runToCompletion(tenant, users, Duration.ofMinutes(1));
        String user = support.snapshot(tenant).path("users").get(0).path("id").asText();

        support.control().post("/_emulator/tenants/" + tenant + "/mutations",
                "{\"operations\":[{\"op\":\"softDeleteUser\",\"id\":\"" + user + "\"}]}");
        support.runToCompletion(tenant, users, Duration.ofMinutes(1));
        support.control().post("/_emulator/tenants/" + tenant + "/mutations",
                "{\"operations\":[{\"op\":\"restoreUser\",\"id\":\"" + user + "\"}]}");
        support.runToCompletion(tenant, users, Duration.ofMinutes(1));

        List<SyncEvent> ofUser = support.observations(tenant).stream().filter(e -> user.equals(e.objectId())).toList();
        assertThat(ofUser).extracting(e -> e.getClass().getSimpleName())
                .containsExactly(UserUpserted.class.getSimpleName(), UserRemoved.class.getSimpleName(),
                        UserUpserted.class.getSimpleName());
        List<Instant> observed = ofUser.stream().map(SyncEvent::observedAt).toList();
        assertThat(observed.get(1)).isAfter(observed.get(0));
        assertThat(observed.get(2)).isAfter(observed.get(1));
    }
}
