package dev.idsync.profile.read;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Roles;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import dev.idsync.profile.Entra;
import dev.idsync.profile.UserEvents;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** GET of a profile with its ETag, and the single-user import. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ReadAndImportTest {

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void a_profile_is_read_from_entra_with_the_local_fields_and_an_etag_that_follows_changes_in_entra() {
        Entra entra = new Entra(emulatorUrl);
        String userId = entra.createUser("Read Me");
        String reader = TestTokens.bearer(emulatorUrl, Roles.READER);
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.WRITER)).contentType(ContentType.JSON)
                .body("{\"local\": {\"remoteWork\": true, \"entryDate\": \"2023-04-01\"}}")
                .when().patch("/api/tenants/contoso/users/{id}/profile", userId).then().statusCode(200);

        String first = given().header("Authorization", reader).when().get("/api/tenants/contoso/users/{id}/profile", userId)
                .then().statusCode(200)
                .body("entra.displayName", equalTo("Read Me"))
                .body("entra.jobTitle", equalTo("Developer"))
                .body("local.remoteWork", equalTo(true))
                .body("local.entryDate", equalTo("2023-04-01"))
                .extract().header("ETag");
        String again = given().header("Authorization", reader).when().get("/api/tenants/contoso/users/{id}/profile", userId)
                .then().statusCode(200).extract().header("ETag");
        assertThat(again).isEqualTo(first).startsWith("\"");

        entra.changeDirectly(userId, Map.of("officeLocation", "Berlin 4.12"));
        String changed = given().header("Authorization", reader).when().get("/api/tenants/contoso/users/{id}/profile", userId)
                .then().statusCode(200).body("entra.officeLocation", equalTo("Berlin 4.12")).extract().header("ETag");
        assertThat(changed).isNotEqualTo(first);
    }

    @Test
    void reading_an_unknown_user_is_404_user_not_found() {
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.READER))
                .when().get("/api/tenants/contoso/users/{id}/profile", UUID.randomUUID().toString())
                .then().statusCode(404).contentType("application/problem+json").body("title", equalTo("User not found"));
    }

    @Test
    void an_import_reads_the_user_from_entra_now_and_publishes_user_upserted_observed_at_graphs_date() {
        Entra entra = new Entra(emulatorUrl);
        String userId = entra.createUser("Imported Now");
        Instant before = Instant.now().minusSeconds(1);

        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.WRITER))
                .when().post("/api/tenants/contoso/users/{id}/import", userId)
                .then().statusCode(200).body("published", equalTo("dev.idsync.user.upserted.v1"));

        // An observation like the poller's: Graph's names, the id as objectId only, epoch 0.
        UserUpserted event = (UserUpserted) UserEvents.observationsOf(bootstrap, "contoso", userId,
                seen -> !seen.isEmpty()).get(0);
        assertThat(event.data()).containsEntry("displayName", "Imported Now").containsEntry("jobTitle", "Developer")
                .doesNotContainKeys("position", "id").containsKey("accountEnabled");
        assertThat(event.epoch()).isZero();
        assertThat(event.runId()).startsWith("import-");
        // Graph's Date has second precision; it lies around now.
        assertThat(event.observedAt()).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
        assertThat(entra.requestsFor(userId, "GET")).hasSize(1);
    }

    @Test
    void importing_an_unknown_user_is_404() {
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.WRITER))
                .when().post("/api/tenants/contoso/users/{id}/import", UUID.randomUUID().toString())
                .then().statusCode(404).body("title", equalTo("User not found"));
    }
}
