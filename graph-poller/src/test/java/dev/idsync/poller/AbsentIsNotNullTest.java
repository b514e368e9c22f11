package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.UserUpserted;
import dev.idsync.poller.support.DirectoryView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md invariant 13: an observation carries exactly the properties Graph sent. Graph may answer an update
 * with only the changed properties (here the emulator does so for every update although the poller asks for
 * the full representation), so a property Graph did not send must stay absent, not become null.
 */
@QuarkusTest
class AbsentIsNotNullTest extends PollerQuarkusTest {

    @Test
    void an_update_graph_answers_with_only_the_changed_properties_is_observed_with_exactly_those() {
        String tenant = "poller-minimal";
        support.createTenant(tenant, 60, 3, 30, 1);
        JsonPath first = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));
        JsonNode users = support.snapshot(tenant).path("users");
        String withPhone = StreamSupport.stream(users.spliterator(), false).filter(u -> u.hasNonNull("mobilePhone"))
                .findFirst().orElseThrow().path("id").asText();
        String withoutPhone = StreamSupport.stream(users.spliterator(), false).filter(u -> !u.hasNonNull("mobilePhone"))
                .findFirst().orElseThrow().path("id").asText();
        // The full representation of the initial round: an empty selected property is an explicit null.
        assertThat(upsertOf(tenant, first.getString("runId"), withoutPhone).data())
                .containsEntry("mobilePhone", null).containsKeys("displayName", "jobTitle", "city");
        support.emulatorSettings(tenant, "{\"minimalUpdateShare\":1.0}");
        support.control().post("/_emulator/tenants/" + tenant + "/mutations", """
                {"operations":[{"op":"updateUser","id":"%s","properties":{"jobTitle":"Teamleitung","mobilePhone":null}}]}"""
                .formatted(withPhone));

        JsonPath second = support.runToCompletion(tenant, "{\"resources\":[\"users\"]}", Duration.ofMinutes(1));

        assertThat(upsertOf(tenant, second.getString("runId"), withPhone).data())
                .containsOnlyKeys("jobTitle", "mobilePhone")
                .containsEntry("jobTitle", "Teamleitung").containsEntry("mobilePhone", null);
        // Folded in order, the other attributes keep their values: the same directory as Graph's.
        assertThat(DirectoryView.fold(support.observations(tenant)).users())
                .isEqualTo(support.snapshotView(tenant).users());
    }

    private UserUpserted upsertOf(String tenant, String runId, String userId) {
        return support.pageObservationsOfRun(tenant, runId).stream()
                .filter(e -> e instanceof UserUpserted && userId.equals(e.objectId())).map(UserUpserted.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no user.upserted of " + userId + " in run " + runId));
    }
}
