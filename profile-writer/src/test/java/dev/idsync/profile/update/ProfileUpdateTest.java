package dev.idsync.profile.update;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.api.Roles;
import dev.idsync.events.ProfileUpdateRejected;
import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import dev.idsync.profile.Entra;
import dev.idsync.profile.LocalRows;
import dev.idsync.profile.UserEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pessimistic update against the emulator over HTTP, the real broker and the real database. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ProfileUpdateTest {

    static final String LOCAL_BODY = """
            {"employeeType": "employee", "employmentStatus": "active", "remoteWork": true,
             "gdprRestricted": true, "gdprReason": "Art. 18 GDPR request 2026-11", "entryDate": "2024-01-15",
             "exitDate": "2026-12-31"}""";

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    Entra entra;
    String writer;

    @BeforeEach
    void setUp() {
        entra = new Entra(emulatorUrl);
        writer = TestTokens.bearer(emulatorUrl, Roles.WRITER);
    }

    private Response patch(String userId, String body) {
        return given().header("Authorization", writer).contentType(ContentType.JSON).body(body)
                .when().patch("/api/tenants/contoso/users/{id}/profile", userId);
    }

    @Test
    void a_confirmed_update_changes_entra_stores_the_local_fields_and_publishes_both_events() {
        String userId = entra.createUser("Adele Vance");

        patch(userId, """
                {"entra": {"jobTitle": "Teamleitung", "department": "Vertrieb", "mobilePhone": null,
                           "businessPhones": ["+49 30 9876543"], "country": "Germany", "usageLocation": "DE"},
                 "local": %s}""".formatted(LOCAL_BODY))
                .then().statusCode(200)
                .header("ETag", notNullValue())
                .body("entra.jobTitle", equalTo("Teamleitung"))
                .body("entra.department", equalTo("Vertrieb"))
                .body("entra.mobilePhone", equalTo(null))
                .body("local.gdprReason", equalTo("Art. 18 GDPR request 2026-11"))
                .body("local.exitDate", equalTo("2026-12-31"));

        // Entra holds the change ...
        JsonNode inEntra = entra.user(userId, "jobTitle,department,mobilePhone,businessPhones,country,usageLocation");
        assertThat(inEntra.path("jobTitle").asText()).isEqualTo("Teamleitung");
        assertThat(inEntra.path("department").asText()).isEqualTo("Vertrieb");
        assertThat(inEntra.path("mobilePhone").isNull()).isTrue();
        assertThat(inEntra.path("businessPhones").get(0).asText()).isEqualTo("+49 30 9876543");
        // ... the local-only fields are stored ...
        assertThat(LocalRows.of(dataSource, "contoso", userId)).get().satisfies(row -> {
            assertThat(row).containsEntry("employment_status", "active").containsEntry("gdpr_restricted", true)
                    .containsEntry("entry_date", "2024-01-15").containsEntry("exit_date", "2026-12-31")
                    .containsEntry("updated_by", "test-user");
        });
        // ... and were never sent to Entra: the one PATCH carried exactly the Entra properties.
        List<JsonNode> patches = entra.requestsFor(userId, "PATCH");
        assertThat(patches).hasSize(1);
        assertThat(patches.get(0).path("body").asText())
                .contains("\"jobTitle\"", "\"department\"", "\"mobilePhone\"", "\"businessPhones\"")
                .doesNotContain("employeeType", "employmentStatus", "remoteWork", "gdpr", "entryDate", "exitDate",
                        "Art. 18", "2026-12-31");

        // profile.updated: the actor from the token, before and after (after = Entra's re-read).
        String key = "contoso:" + userId;
        ProfileUpdated updated = (ProfileUpdated) UserEvents.eventsOf(bootstrap, Topics.PROFILE_CHANGES, key,
                events -> events.stream().anyMatch(ProfileUpdated.class::isInstance)).stream()
                .filter(ProfileUpdated.class::isInstance).findFirst().orElseThrow();
        assertThat(updated.data().actor()).isEqualTo("test-user");
        assertThat(updated.data().before()).containsEntry("jobTitle", "Developer").containsEntry("department", "Engineering")
                .containsEntry("mobilePhone", "+49 171 1111111").containsEntry("local.gdprRestricted", false);
        assertThat(updated.data().after()).containsEntry("jobTitle", "Teamleitung").containsEntry("department", "Vertrieb")
                .containsEntry("mobilePhone", null).containsEntry("local.gdprRestricted", true)
                .containsEntry("local.entryDate", "2024-01-15");

        // The confirmed re-read is an observation: exactly what Graph returned, under Graph's names (the
        // tenant's field mapping jobTitle → position is delta-processor's to apply), observed at Graph's Date.
        UserUpserted upserted = (UserUpserted) UserEvents.observationsOf(bootstrap, "contoso", userId,
                events -> !events.isEmpty()).get(0);
        assertThat(upserted.data()).containsEntry("jobTitle", "Teamleitung").containsEntry("department", "Vertrieb")
                .containsEntry("mobilePhone", null).doesNotContainKeys("position", "id")
                .doesNotContainKeys("employmentStatus", "gdprReason", "local.gdprReason");
        // Every property of the re-read's $select (the tenant's user selection and the editable ones), as Graph
        // returned them: the emulator, like Graph, returns each selected property, null where it is empty.
        java.util.Set<String> selected = new java.util.HashSet<>(dev.idsync.config.SelectDefaults.USERS);
        selected.addAll(EntraField.NAMES);
        selected.remove("id");
        assertThat(upserted.data().keySet()).isEqualTo(selected);
        assertThat(upserted.epoch()).isZero();
        assertThat(upserted.observedAt()).isEqualTo(updated.observedAt());
        assertThat(upserted.runId()).isEqualTo(updated.runId());
    }

    @Test
    void an_update_of_local_only_fields_sends_nothing_to_entra_but_still_confirms_from_a_fresh_read() {
        String userId = entra.createUser("Local Only");

        patch(userId, "{\"local\": " + LOCAL_BODY + "}").then().statusCode(200)
                .body("entra.jobTitle", equalTo("Developer")).body("local.employeeType", equalTo("employee"));

        assertThat(entra.requestsFor(userId, "PATCH")).isEmpty();
        assertThat(entra.requestsFor(userId, "GET")).hasSize(1);
        assertThat(entra.allLoggedBodies()).noneMatch(body -> body.contains("Art. 18 GDPR request 2026-11"));
        assertThat(LocalRows.of(dataSource, "contoso", userId)).get()
                .satisfies(row -> assertThat(row).containsEntry("remote_work", true));
    }

    @Test
    void invalid_input_is_refused_with_every_field_named_and_nothing_is_written_anywhere() {
        String userId = entra.createUser("Invalid Input");

        patch(userId, """
                {"entra": {"jobTitle": 42, "mobilePhone": "call me maybe", "country": "123",
                           "usageLocation": "Germany", "displayName": null, "department": "%s",
                           "favouriteColour": "blue", "employmentStatus": "active"},
                 "local": {"gdprRestricted": true, "entryDate": "2025-06-01", "exitDate": "2025-05-31",
                           "remoteWork": "yes", "shoeSize": 44},
                 "extra": true}""".formatted("x".repeat(65)))
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("entra.jobTitle", "entra.mobilePhone", "entra.country",
                        "entra.usageLocation", "entra.displayName", "entra.department", "entra.favouriteColour",
                        "entra.employmentStatus", "local.gdprReason", "local.exitDate", "local.remoteWork",
                        "local.shoeSize", "extra"));

        // Nothing reached Entra (not even a read), nothing was stored.
        assertThat(entra.requestsFor(userId, null)).isEmpty();
        assertThat(LocalRows.of(dataSource, "contoso", userId)).isEmpty();
        // Nothing was published: the next (valid) update's event is the first and only one for this user.
        patch(userId, "{\"local\": {\"employeeType\": \"marker\"}}").then().statusCode(200);
        List<SyncEvent> events = UserEvents.eventsOf(bootstrap, Topics.PROFILE_CHANGES, "contoso:" + userId,
                seen -> seen.stream().anyMatch(ProfileUpdated.class::isInstance));
        assertThat(events).hasSize(1).allMatch(e -> e instanceof ProfileUpdated u
                && "marker".equals(u.data().after().get("local.employeeType")));
    }

    @Test
    void an_if_match_from_before_a_change_in_entra_is_refused_with_412_and_changes_nothing() {
        String userId = entra.createUser("Stale Reader");
        String reader = TestTokens.bearer(emulatorUrl, Roles.READER);
        String etag = given().header("Authorization", reader).when()
                .get("/api/tenants/contoso/users/{id}/profile", userId)
                .then().statusCode(200).extract().header("ETag");

        entra.changeDirectly(userId, Map.of("jobTitle", "Changed in the portal"));

        given().header("Authorization", writer).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"entra\": {\"jobTitle\": \"Mine\"}, \"local\": {\"employeeType\": \"x\"}}")
                .when().patch("/api/tenants/contoso/users/{id}/profile", userId)
                .then().statusCode(412).contentType("application/problem+json");
        assertThat(entra.requestsFor(userId, "PATCH")).isEmpty();
        assertThat(LocalRows.of(dataSource, "contoso", userId)).isEmpty();
        assertThat(entra.user(userId, "jobTitle").path("jobTitle").asText()).isEqualTo("Changed in the portal");
        ProfileUpdateRejected rejected = (ProfileUpdateRejected) UserEvents.eventsOf(bootstrap, Topics.PROFILE_CHANGES,
                "contoso:" + userId, seen -> !seen.isEmpty()).get(0);
        assertThat(rejected.data().status()).isEqualTo(412);
        assertThat(rejected.data().reason()).isEqualTo("preconditionFailed");

        // With the current ETag the same update goes through.
        String current = given().header("Authorization", reader).when()
                .get("/api/tenants/contoso/users/{id}/profile", userId).then().extract().header("ETag");
        given().header("Authorization", writer).header("If-Match", current).contentType(ContentType.JSON)
                .body("{\"entra\": {\"jobTitle\": \"Mine\"}}")
                .when().patch("/api/tenants/contoso/users/{id}/profile", userId)
                .then().statusCode(200).body("entra.jobTitle", equalTo("Mine"));
    }
}
