package dev.idsync.emulator;

import static dev.idsync.emulator.EmulatorClient.op;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.models.User;
import dev.idsync.emulator.authority.HttpsAuthorityServer;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphAccessConfig;
import dev.idsync.graph.RetryPolicy;
import dev.idsync.graph.users.PatchOutcome;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserObjectsTest {

    @Inject
    HttpsAuthorityServer https;

    private String tenant;
    private String token;
    private JsonPath snapshot;
    private String userId;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("objects");
        EmulatorClient.seed(tenant, 300, 8, 900, 2, 13);
        token = EmulatorClient.appToken(tenant);
        snapshot = EmulatorClient.snapshot(tenant);
        userId = snapshot.getString("users[7].id");
    }

    @Test
    void getUserReturnsTheSelectedPropertiesIncludingNulls() {
        Response response = EmulatorClient.graphGet(token, "/v1.0/users/" + userId + "?$select=displayName,mobilePhone,companyName", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getMap("$")).containsOnlyKeys("@odata.context", "id", "displayName",
                "mobilePhone", "companyName").containsEntry("displayName", snapshot.getString("users[7].displayName"));
    }

    @Test
    void unknownUserIsA404WithGraphsWording() {
        Response response = EmulatorClient.graphGet(token, "/v1.0/users/00000000-0000-0000-0000-000000000404", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("Request_ResourceNotFound");
        assertThat(response.jsonPath().getString("error.message")).isEqualTo("Resource '00000000-0000-0000-0000-000000000404' "
                + "does not exist or one of its queried reference-property objects are not present.");
        assertThat(response.jsonPath().getString("error.innerError.request-id")).isEqualTo(response.header("request-id"));
    }

    @Test
    void patchWithoutWritePermissionIsA403WithGraphsWording() {
        String readOnly = EmulatorClient.appToken(tenant, EmulatorClient.READ_ONLY_CLIENT_ID);

        Response response = patch(readOnly, userId, Map.of("jobTitle", "Nope"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("Authorization_RequestDenied");
        assertThat(response.jsonPath().getString("error.message")).isEqualTo("Insufficient privileges to complete the operation.");
    }

    @Test
    void patchValidationErrorsNameThePropertyAsGraphDoes() {
        assertBadRequest(patch(token, userId, Map.of("shoeSize", "44")),
                "Property 'shoeSize' does not exist as a declared property or extension property.");
        assertBadRequest(patch(token, userId, Map.of("createdDateTime", "2020-01-01T00:00:00Z")),
                "Property 'createdDateTime' is read-only and cannot be set.");
        assertBadRequest(patch(token, userId, Map.of("accountEnabled", "yes")),
                "Invalid value specified for property 'accountEnabled' of resource 'User'.");
        assertBadRequest(patch(token, userId, Map.of("usageLocation", "Germany")),
                "Invalid value specified for property 'usageLocation' of resource 'User'.");
        assertBadRequest(patch(token, userId, Map.of("givenName", "x".repeat(65))),
                "Invalid value specified for property 'givenName' of resource 'User'.");
        assertBadRequest(patch(token, userId, Map.of("userPrincipalName", "someone@elsewhere.example")),
                "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.");
        Response notJson = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body("{oops")
                .patch("/v1.0/users/{id}", userId);
        assertBadRequest(notJson, "Unable to read JSON request payload. Please ensure Content-Type header is set and "
                + "payload is of valid JSON format.");
        assertThat(EmulatorClient.snapshot(tenant).getString("users[7].givenName"))
                .as("a rejected PATCH changes nothing").isEqualTo(snapshot.getString("users[7].givenName"));
    }

    @Test
    void profileClientPatchesExactlyTheGivenFieldsAndReturnsTheReReadUser() {
        GraphAccess access = GraphAccessFixture.connect(tenant, https);
        RestAssured.delete("/_emulator/requests");
        Map<String, Object> changes = new HashMap<>();
        changes.put("jobTitle", "Teamleiterin Lohn");
        changes.put("mobilePhone", null);

        PatchOutcome outcome = access.users().patch(userId, changes, List.of("jobTitle", "mobilePhone", "displayName"));

        assertThat(outcome).isInstanceOfSatisfying(PatchOutcome.Updated.class, updated -> {
            User user = updated.confirmed();
            assertThat(user.getJobTitle()).isEqualTo("Teamleiterin Lohn");
            assertThat(user.getMobilePhone()).isNull();
            assertThat(user.getDisplayName()).isEqualTo(snapshot.getString("users[7].displayName"));
        });
        List<Map<String, Object>> patches = given().queryParam("method", "PATCH").get("/_emulator/requests")
                .jsonPath().getList("$");
        assertThat(patches).singleElement().satisfies(r -> {
            Map<String, Object> sent = new io.restassured.path.json.JsonPath((String) r.get("body")).getMap("$");
            // The SDK adds its @odata.type annotation; no other property may reach Graph.
            assertThat(sent.keySet()).filteredOn(k -> !k.startsWith("@odata."))
                    .as("nothing but the two fields reached Graph").containsExactlyInAnyOrder("jobTitle", "mobilePhone");
            assertThat(sent).containsEntry("mobilePhone", null);
            assertThat(((Map<?, ?>) r.get("headers")).get("authorization")).isEqualTo("Bearer [redacted]");
        });
    }

    @Test
    void profileClientMapsGraphsRefusalsToTypedOutcomes() {
        GraphAccess writer = GraphAccessFixture.connect(tenant, https);
        GraphAccess readOnly = GraphAccess.connect(GraphAccessFixture.config(tenant, EmulatorClient.READ_ONLY_CLIENT_ID,
                https, RetryPolicy.defaults()));

        assertThat(writer.users().patch("00000000-0000-0000-0000-000000000404", Map.of("jobTitle", "x"), List.of()))
                .isInstanceOf(PatchOutcome.NotFound.class);
        assertThat(readOnly.users().patch(userId, Map.of("jobTitle", "x"), List.of()))
                .isEqualTo(new PatchOutcome.Denied("Insufficient privileges to complete the operation."));
        assertThat(writer.users().patch(userId, Map.of("usageLocation", "Deutschland"), List.of()))
                .isEqualTo(new PatchOutcome.Rejected("Request_BadRequest",
                        "Invalid value specified for property 'usageLocation' of resource 'User'."));
        assertThat(writer.users().read("00000000-0000-0000-0000-000000000404", List.of())).isEmpty();
    }

    @Test
    void memberGroupsIncludeNestedGroupsAndHonourSecurityEnabledOnly() {
        String nested = snapshot.getString("groups.find { it.displayName == 'App-Northwind-HR' }.id");
        String unified = EmulatorClient.mutate(tenant, List.of(op("createGroup", "properties", Map.of(
                "displayName", "Projekt Nordlicht", "groupTypes", List.of("Unified"), "mailEnabled", true,
                "securityEnabled", false, "mailNickname", "nordlicht")))).getString("results[0].id");
        String parent = EmulatorClient.mutate(tenant, List.of(op("createGroup", "properties", Map.of(
                "displayName", "All HR", "mailEnabled", false, "securityEnabled", true, "mailNickname", "allhr"))))
                .getString("results[0].id");
        String hrMember = snapshot.getString("groups.find { it.displayName == 'App-Northwind-HR' }.members[0]");
        EmulatorClient.mutate(tenant, List.of(op("addMember", "groupId", parent, "memberId", nested),
                op("addMember", "groupId", unified, "memberId", hrMember)));
        GraphAccess access = GraphAccessFixture.connect(tenant, https);

        List<String> security = access.memberGroups().memberGroups(hrMember, true).orElseThrow();
        List<String> all = access.memberGroups().memberGroups(hrMember, false).orElseThrow();

        assertThat(security).contains(nested, parent).doesNotContain(unified);
        assertThat(all).contains(nested, parent, unified);
        assertThat(access.memberGroups().memberGroups("00000000-0000-0000-0000-000000000404", true)).isEmpty();
    }

    @Test
    void memberOfListsGroupsAndDirectoryRolesWithTheirODataType() {
        String globalAdmin = snapshot.getString("directoryRoles[0].members[0]");

        Response response = EmulatorClient.graphGet(token, "/v1.0/users/" + globalAdmin + "/memberOf", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getList("value.'@odata.type'", String.class))
                .contains("#microsoft.graph.group", "#microsoft.graph.directoryRole");
    }

    @Test
    void groupMembersArePagedWithNextLinks() {
        String big = snapshot.getString("groups.find { it.displayName == 'App-Northwind-User' }.id");
        int size = snapshot.getList("groups.find { it.displayName == 'App-Northwind-User' }.members").size();

        List<Object> members = new java.util.ArrayList<>();
        String url = "/v1.0/groups/" + big + "/members?$select=displayName";
        int pages = 0;
        while (url != null) {
            JsonPath page = EmulatorClient.graphGet(token, url, null).jsonPath();
            members.addAll(page.getList("value.id"));
            url = page.getString("'@odata.nextLink'");
            pages++;
        }

        assertThat(size).isGreaterThan(100);
        assertThat(pages).isEqualTo((size + 99) / 100);
        assertThat(members).doesNotHaveDuplicates().hasSize(size);
    }

    private static Response patch(String token, String id, Map<String, Object> body) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(body)
                .patch("/v1.0/users/{id}", id);
    }

    private static void assertBadRequest(Response response, String message) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("Request_BadRequest");
        assertThat(response.jsonPath().getString("error.message")).isEqualTo(message);
    }
}
