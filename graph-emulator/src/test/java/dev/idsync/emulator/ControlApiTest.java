package dev.idsync.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ControlApiTest {

    @Test
    void seedingIsDeterministicForTheSameSeed() {
        String a = EmulatorClient.createTenant("seed-a");
        String b = EmulatorClient.createTenant("seed-b");
        EmulatorClient.seed(a, 200, 12, 500, 3, 99);
        EmulatorClient.seed(b, 200, 12, 500, 3, 99);

        JsonPath sa = EmulatorClient.snapshot(a);
        JsonPath sb = EmulatorClient.snapshot(b);

        assertThat(sa.getList("users")).isEqualTo(sb.getList("users"));
        assertThat(sa.getList("groups")).isEqualTo(sb.getList("groups"));
        assertThat(sa.getList("directoryRoles")).isEqualTo(sb.getList("directoryRoles"));
    }

    @Test
    void seededTenantLooksLikeARealOne() {
        String tenant = EmulatorClient.createTenant("realistic");
        JsonPath result = EmulatorClient.seed(tenant, 1000, 20, 4000, 4, 1);

        JsonPath snapshot = EmulatorClient.snapshot(tenant);
        assertThat(result.getInt("memberships")).isEqualTo(4000);
        assertThat(result.getInt("disabledUsers")).isBetween(20, 90);
        assertThat(snapshot.getList("users.userPrincipalName", String.class))
                .doesNotHaveDuplicates()
                .anyMatch(upn -> upn.endsWith("@northwind.example"))
                .anyMatch(upn -> upn.endsWith("@northwind-labs.example"));
        assertThat(snapshot.getList("users.companyName", String.class)).doesNotContainNull();
        assertThat(snapshot.getList("users.companyName", String.class).stream().distinct().count()).isGreaterThan(2);
        assertThat(snapshot.getList("groups.displayName", String.class)).startsWith(
                "App-Northwind-Admin", "App-Northwind-User", "App-Northwind-HR", "App-Northwind-Accounting");
        assertThat(snapshot.getList("directoryRoles.displayName")).hasSize(4).contains("Global Administrator");
    }

    @Test
    void mutationsRoundTripThroughTheSnapshot() {
        String tenant = EmulatorClient.createTenant("mutations");
        JsonPath created = EmulatorClient.mutate(tenant, List.of(
                EmulatorClient.op("createUser", "id", "11111111-2222-4333-8444-555555555555", "properties",
                        Map.of("displayName", "Erika Mustermann", "userPrincipalName", "erika@northwind.example",
                                "accountEnabled", true, "mailNickname", "erika")),
                EmulatorClient.op("createGroup", "id", "66666666-7777-4888-9999-000000000000", "properties",
                        Map.of("displayName", "Finance", "securityEnabled", true, "mailEnabled", false, "mailNickname", "finance")),
                EmulatorClient.op("addMember", "groupId", "66666666-7777-4888-9999-000000000000",
                        "memberId", "11111111-2222-4333-8444-555555555555"),
                EmulatorClient.op("softDeleteUser", "id", "11111111-2222-4333-8444-555555555555")));

        JsonPath snapshot = EmulatorClient.snapshot(tenant);

        assertThat(created.getList("results.changed", Boolean.class)).containsOnly(true);
        assertThat(snapshot.getList("users")).isEmpty();
        assertThat(snapshot.getString("deletedUsers[0].displayName")).isEqualTo("Erika Mustermann");
        assertThat(snapshot.getList("groups[0].members")).as("a deleted user leaves its groups").isEmpty();

        EmulatorClient.mutate(tenant, List.of(EmulatorClient.op("restoreUser", "id", "11111111-2222-4333-8444-555555555555")));
        assertThat(EmulatorClient.snapshot(tenant).getList("groups[0].members"))
                .as("restoring brings the membership back").containsExactly("11111111-2222-4333-8444-555555555555");
    }

    @Test
    void controlErrorsAreProblemDetails() {
        String tenant = EmulatorClient.createTenant("problems");
        Response unknownOp = given().contentType(ContentType.JSON)
                .body(Map.of("operations", List.of(Map.of("op", "teleportUser"))))
                .post("/_emulator/tenants/{t}/mutations", tenant);
        assertThat(unknownOp.statusCode()).isEqualTo(400);
        assertThat(unknownOp.contentType()).startsWith("application/problem+json");
        assertThat(unknownOp.jsonPath().getString("detail")).contains("unknown op 'teleportUser'");

        Response missing = given().get("/_emulator/tenants/{t}/snapshot", "does-not-exist");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.jsonPath().getString("detail")).isEqualTo("no tenant 'does-not-exist'");

        Response duplicate = given().contentType(ContentType.JSON).body(Map.of("tenantId", tenant, "domains", List.of("x.example")))
                .post("/_emulator/tenants");
        assertThat(duplicate.statusCode()).isEqualTo(409);
    }

    @Test
    void resetEmptiesTheTenantAndInvalidatesItsDeltaTokens() {
        String tenant = EmulatorClient.createTenant("reset");
        EmulatorClient.seed(tenant, 50, 4, 60, 1, 2);
        String token = EmulatorClient.appToken(tenant);
        DeltaRounds.Round round = DeltaRounds.follow(token, "/v1.0/users/delta", null);

        given().post("/_emulator/tenants/{t}/reset", tenant).then().statusCode(200);

        assertThat(EmulatorClient.snapshot(tenant).getList("users")).isEmpty();
        assertThat(EmulatorClient.graphGet(token, round.deltaLink(), null).statusCode()).isEqualTo(410);
    }

    @Test
    void demoTenantIsSeededAtStartWithItsAppRoleGroups() {
        JsonPath demo = given().get("/_emulator/tenants/contoso").then().statusCode(200).extract().jsonPath();
        assertThat(demo.getInt("counts.users")).isPositive();
        assertThat(demo.getList("apps.clientId")).contains("idsync-local");
        assertThat(EmulatorClient.snapshot("contoso").getList("groups.displayName", String.class))
                .contains("App-Contoso-Admin", "App-Contoso-User", "App-Contoso-HR", "App-Contoso-Accounting");
    }
}
