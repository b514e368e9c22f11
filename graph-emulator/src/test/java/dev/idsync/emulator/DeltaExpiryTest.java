package dev.idsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.emulator.DeltaRounds.Round;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeltaExpiryTest {

    private String tenant;
    private String token;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("expiry");
        EmulatorClient.seed(tenant, 120, 4, 200, 1, 3);
        token = EmulatorClient.appToken(tenant);
    }

    @Test
    void anExpiredDeltaTokenIsAnsweredWith400SyncStateNotFound() {
        EmulatorClient.settings(tenant, Map.of("deltaTokenTtl", "PT1S", "expiredTokenResponse", "SYNC_STATE_NOT_FOUND"));
        Round round = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName", "odata.maxpagesize=200");

        Response expired = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> EmulatorClient.graphGet(token, round.deltaLink(), null), r -> r.statusCode() != 200);

        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(expired.jsonPath().getString("error.code")).isEqualTo("syncStateNotFound");
        assertThat(expired.jsonPath().getString("error.message")).isEqualTo(
                "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
    }

    @Test
    void anInvalidatedTokenIsAnsweredWith410GoneAndALocationForAFreshInitialQuery() {
        Round round = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName,jobTitle", "odata.maxpagesize=200");
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("response", "GONE"))
                .post("/_emulator/tenants/{t}/delta-tokens/invalidate", tenant).then().statusCode(200);

        Response gone = EmulatorClient.graphGet(token, round.deltaLink(), null);

        assertThat(gone.statusCode()).isEqualTo(410);
        String location = gone.header("Location");
        assertThat(location).startsWith("http://localhost:" + RestAssured.port + "/v1.0/users/delta?$select=")
                .contains("displayName").contains("jobTitle");
        Round fresh = DeltaRounds.follow(token, location, "odata.maxpagesize=200");
        assertThat(fresh.items()).hasSize(120);
    }

    @Test
    void invalidatingTheTokensOfOneResourceLeavesTheOtherResourcesTokensValid() {
        Round users = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName", "odata.maxpagesize=200");
        Round groups = DeltaRounds.follow(token, "/v1.0/groups/delta?$select=displayName", "odata.maxpagesize=200");

        Response view = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("response", "GONE", "resources", java.util.List.of("users")))
                .post("/_emulator/tenants/{t}/delta-tokens/invalidate", tenant);

        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.jsonPath().getMap("tokenGenerations"))
                .containsEntry("users", 2).containsEntry("groups", 1).containsEntry("directoryRoles", 1);
        assertThat(EmulatorClient.graphGet(token, users.deltaLink(), null).statusCode()).isEqualTo(410);
        assertThat(EmulatorClient.graphGet(token, groups.deltaLink(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidatingAnUnknownResourceIsABadRequest() {
        Response response = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("resources", java.util.List.of("contacts")))
                .post("/_emulator/tenants/{t}/delta-tokens/invalidate", tenant);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("detail")).contains("unknown resource 'contacts'");
    }

    @Test
    void skipTokensOfARoundInProgressExpireToo() {
        Response first = EmulatorClient.graphGet(token, "/v1.0/users/delta", "odata.maxpagesize=10");
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("response", "SYNC_STATE_NOT_FOUND"))
                .post("/_emulator/tenants/{t}/delta-tokens/invalidate", tenant).then().statusCode(200);

        Response next = EmulatorClient.graphGet(token, first.jsonPath().getString("'@odata.nextLink'"), null);

        assertThat(next.statusCode()).isEqualTo(400);
        assertThat(next.jsonPath().getString("error.code")).isEqualTo("syncStateNotFound");
    }

    @Test
    void aTamperedTokenIsABadRequest() {
        Response response = EmulatorClient.graphGet(token, "/v1.0/users/delta?$deltatoken=bm90LWEtdG9rZW4", null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("Request_BadRequest");
    }
}
