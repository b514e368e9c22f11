package dev.idsync.emulator;

import static dev.idsync.emulator.EmulatorClient.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.emulator.DeltaRounds.Round;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsersDeltaTest {

    private String tenant;
    private String token;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("users-delta");
        EmulatorClient.seed(tenant, 450, 6, 600, 2, 7);
        token = EmulatorClient.appToken(tenant);
    }

    @Test
    void initialRoundPagesAllActiveUsersWithTheRequestedPageSizeAndEndsWithADeltaLink() {
        Round round = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName,accountEnabled,companyName",
                "odata.maxpagesize=100");

        assertThat(round.pages()).hasSize(5);
        assertThat(round.pages().get(0).getList("value")).hasSize(100);
        assertThat(round.items()).extracting(i -> i.get("id")).doesNotHaveDuplicates().hasSize(450);
        assertThat(round.items().get(0)).containsOnlyKeys("id", "displayName", "accountEnabled", "companyName");
        assertThat(round.deltaLink()).contains("/v1.0/users/delta?$deltatoken=");
        JsonPath snapshot = EmulatorClient.snapshot(tenant);
        assertThat(round.items()).extracting(i -> i.get("id"))
                .containsExactlyInAnyOrderElementsOf(snapshot.getList("users.id"));
    }

    @Test
    void linksCarryTheEmulatorsOwnBaseUrl() {
        Response first = EmulatorClient.graphGet(token, "/v1.0/users/delta", "odata.maxpagesize=10");
        String base = "http://localhost:" + io.restassured.RestAssured.port + "/v1.0/users/delta?$skiptoken=";
        assertThat(first.jsonPath().getString("'@odata.nextLink'")).startsWith(base);
        assertThat(first.header("Preference-Applied")).isEqualTo("odata.maxpagesize=10");
    }

    @Test
    void pageSizeIsCappedLikeGraphsAndDefaultsToOneHundred() {
        assertThat(EmulatorClient.graphGet(token, "/v1.0/users/delta", "odata.maxpagesize=999")
                .jsonPath().getList("value")).hasSize(200);
        assertThat(EmulatorClient.graphGet(token, "/v1.0/users/delta", null).jsonPath().getList("value")).hasSize(100);
    }

    @Test
    void withoutSelectTheDefaultPropertiesOfAUserAreReturned() {
        Map<String, Object> first = EmulatorClient.graphGet(token, "/v1.0/users/delta", null).jsonPath()
                .getMap("value[0]");
        assertThat(first).containsKeys("id", "displayName", "userPrincipalName", "givenName", "surname")
                .doesNotContainKeys("companyName", "accountEnabled", "department");
    }

    @Test
    void followUpReturnsExactlyTheChangedUsersWithChangedAndDeletedForms() {
        Round initial = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName,jobTitle,mobilePhone",
                "odata.maxpagesize=200");
        List<String> ids = initial.items().stream().map(i -> (String) i.get("id")).toList();
        // Clearing only changes something for a user that has a mobile phone.
        String withPhone = initial.items().stream().skip(5).filter(i -> i.get("mobilePhone") != null)
                .map(i -> (String) i.get("id")).findFirst().orElseThrow();
        String created = "0f2b6c1e-5a7d-4e0f-9a5b-000000000001";
        EmulatorClient.mutate(tenant, List.of(
                op("updateUser", "id", ids.get(0), "properties", Map.of("jobTitle", "Chief Emulator")),
                op("updateUser", "id", withPhone, "properties", mapOfNull("mobilePhone")),
                op("updateUser", "id", ids.get(2), "properties", Map.of("department", "not selected")),
                op("softDeleteUser", "id", ids.get(3)),
                op("hardDeleteUser", "id", ids.get(4)),
                op("createUser", "id", created, "properties", Map.of("displayName", "Neu Angelegt",
                        "userPrincipalName", "neu@northwind.example", "accountEnabled", true, "mailNickname", "neu"))));

        Round followUp = DeltaRounds.follow(token, initial.deltaLink(), null);

        Map<String, Map<String, Object>> byId = followUp.items().stream()
                .collect(Collectors.toMap(i -> (String) i.get("id"), i -> i, (a, b) -> a, LinkedHashMap::new));
        // Only a selected property counts as a change, as on Graph.
        assertThat(byId.keySet()).containsExactlyInAnyOrder(ids.get(0), withPhone, ids.get(3), ids.get(4), created);
        assertThat(byId.get(ids.get(0))).containsEntry("jobTitle", "Chief Emulator").containsKey("displayName");
        assertThat(byId.get(withPhone)).containsEntry("mobilePhone", null);
        assertThat(byId.get(ids.get(3))).containsEntry("@removed", Map.of("reason", "changed"));
        assertThat(byId.get(ids.get(4))).containsEntry("@removed", Map.of("reason", "deleted"));
        assertThat(byId.get(created)).containsEntry("displayName", "Neu Angelegt");

        Round quiet = DeltaRounds.follow(token, followUp.deltaLink(), null);
        assertThat(quiet.items()).as("no changes since the last round").isEmpty();
    }

    @Test
    void theFullRepresentationCarriesEverySelectedPropertyWithNullWhereItIsEmpty() {
        String select = "displayName,jobTitle,mobilePhone";
        Round initial = DeltaRounds.follow(token, "/v1.0/users/delta?$select=" + select, "odata.maxpagesize=200");

        assertThat(initial.items()).allSatisfy(item ->
                assertThat(item).containsOnlyKeys("id", "displayName", "jobTitle", "mobilePhone"));
        Map<String, Object> withoutPhone = initial.items().stream().filter(i -> i.get("mobilePhone") == null)
                .findFirst().orElseThrow();
        assertThat(withoutPhone).containsEntry("mobilePhone", null);

        // An update answered in full (no return=minimal) is the full representation too: empty ones as null.
        EmulatorClient.mutate(tenant, List.of(op("updateUser", "id", withoutPhone.get("id"),
                "properties", Map.of("jobTitle", "Neue Rolle"))));
        Round followUp = DeltaRounds.follow(token, initial.deltaLink(), null);

        assertThat(followUp.items()).singleElement().satisfies(item -> assertThat(item)
                .containsOnlyKeys("id", "displayName", "jobTitle", "mobilePhone")
                .containsEntry("jobTitle", "Neue Rolle").containsEntry("mobilePhone", null));
    }

    @Test
    void returnMinimalSendsOnlyTheChangedPropertiesIncludingNulls() {
        Round initial = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName,jobTitle,mobilePhone,city", "odata.maxpagesize=200");
        String id = initial.items().stream().filter(i -> i.get("mobilePhone") != null)
                .map(i -> (String) i.get("id")).findFirst().orElseThrow();
        Map<String, Object> changes = new HashMap<>();
        changes.put("jobTitle", "Leitung Einkauf");
        changes.put("mobilePhone", null);
        EmulatorClient.mutate(tenant, List.of(op("updateUser", "id", id, "properties", changes)));

        Response response = EmulatorClient.graphGet(token, initial.deltaLink(), "return=minimal");

        assertThat(response.header("Preference-Applied")).isEqualTo("return=minimal");
        Map<String, Object> item = response.jsonPath().getMap("value[0]");
        assertThat(item).containsOnlyKeys("id", "jobTitle", "mobilePhone").containsEntry("mobilePhone", null);
    }

    @Test
    void restoredUserComesBackWithAllSelectedProperties() {
        Round initial = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName,userPrincipalName", "odata.maxpagesize=200");
        String id = (String) initial.items().get(5).get("id");
        EmulatorClient.mutate(tenant, List.of(op("softDeleteUser", "id", id)));
        Round deleted = DeltaRounds.follow(token, initial.deltaLink(), null);
        assertThat(deleted.items()).containsExactly(Map.of("id", id, "@removed", Map.of("reason", "changed")));

        EmulatorClient.mutate(tenant, List.of(op("restoreUser", "id", id)));
        Round restored = DeltaRounds.follow(token, deleted.deltaLink(), null);

        assertThat(restored.items()).singleElement().satisfies(item -> assertThat(item)
                .containsKeys("displayName", "userPrincipalName").doesNotContainKey("@removed"));
    }

    @Test
    void latestDeltaTokenSkipsTheExistingUsersAndReportsOnlyLaterChanges() {
        Response latest = EmulatorClient.graphGet(token, "/v1.0/users/delta?$deltatoken=latest&$select=displayName", null);
        assertThat(latest.jsonPath().getList("value")).isEmpty();
        String deltaLink = latest.jsonPath().getString("'@odata.deltaLink'");
        String someone = EmulatorClient.snapshot(tenant).getString("users[0].id");
        EmulatorClient.mutate(tenant, List.of(op("updateUser", "id", someone, "properties", Map.of("displayName", "Umbenannt"))));

        Round round = DeltaRounds.follow(token, deltaLink, null);

        assertThat(round.items()).containsExactly(Map.of("id", someone, "displayName", "Umbenannt"));
    }

    @Test
    void anEmptyPageMayStillCarryANextLink() {
        EmulatorClient.settings(tenant, Map.of("emptyPageEvery", 2));

        Round round = DeltaRounds.follow(token, "/v1.0/users/delta?$select=displayName", "odata.maxpagesize=150");

        assertThat(round.pages().get(1).getList("value")).isEmpty();
        assertThat(round.pages().get(1).getString("'@odata.nextLink'")).isNotNull();
        assertThat(round.items()).extracting(i -> i.get("id")).doesNotHaveDuplicates().hasSize(450);
    }

    @Test
    void usersCreatedDuringAnInitialRoundArriveInTheNextRound() {
        Response first = EmulatorClient.graphGet(token, "/v1.0/users/delta?$select=displayName", "odata.maxpagesize=200");
        String created = EmulatorClient.mutate(tenant, List.of(op("createUser", "properties", Map.of(
                "displayName", "Spät Dran", "userPrincipalName", "spaet@northwind.example", "accountEnabled", true,
                "mailNickname", "spaet")))).getString("results[0].id");

        Round rest = DeltaRounds.follow(token, first.jsonPath().getString("'@odata.nextLink'"), "odata.maxpagesize=200");
        Round next = DeltaRounds.follow(token, rest.deltaLink(), null);

        assertThat(rest.items()).extracting(i -> i.get("id")).doesNotContain(created);
        assertThat(next.items()).extracting(i -> i.get("id")).containsExactly(created);
    }

    @Test
    void unknownSelectedPropertyIsRejectedAsGraphDoes() {
        Response response = EmulatorClient.graphGet(token, "/v1.0/users/delta?$select=displayName,shoeSize", null);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("Request_BadRequest");
        assertThat(response.jsonPath().getString("error.message"))
                .isEqualTo("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
    }

    @Test
    void deltaWithoutTokenIsUnauthorizedWithGraphsError() {
        Response response = io.restassured.RestAssured.given().get("/v1.0/users/delta");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("InvalidAuthenticationToken");
        assertThat(response.jsonPath().getString("error.message")).isEqualTo("Access token is empty.");
        assertThat(response.header("Date")).isNotBlank();
    }

    private static Map<String, Object> mapOfNull(String key) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, null);
        return m;
    }
}
