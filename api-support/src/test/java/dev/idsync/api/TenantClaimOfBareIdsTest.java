package dev.idsync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorControl;
import dev.idsync.infra.test.EmulatorResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The other design an Entra admin may choose: the tenant scope in a custom claim of bare tenant ids
 * ({@code idsync_tenants}, e.g. from a claims-mapping policy), configured with
 * {@code idsync.api.tenants.claim} and {@code idsync.api.tenants.entry={tenant}}.
 */
@QuarkusTest
@TestProfile(TenantClaimOfBareIdsTest.CustomClaim.class)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class TenantClaimOfBareIdsTest {

    public static class CustomClaim implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("idsync.api.tenants.claim", "idsync_tenants", "idsync.api.tenants.entry", "{tenant}");
        }
    }

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Test
    void a_custom_claim_of_bare_tenant_ids_grants_those_tenants_and_no_others() {
        String token = "Bearer " + EmulatorControl.at(emulator).post("/_emulator/tenants/" + EmulatorConfig.ISSUER_TENANT
                + "/tokens", "{\"subject\":\"test-user\",\"audience\":\"" + EmulatorConfig.API_CLIENT_ID
                + "\",\"roles\":[\"" + Roles.READER + "\"],\"claims\":{\"idsync_tenants\":[\"tenant-a\"]}}")
                .path("token").asText();
        given().header("Authorization", token).when().get("/api/probe/runs/tenant-a").then().statusCode(200)
                .body(equalTo("tenant-a"));
        given().header("Authorization", token).when().get("/api/probe/runs/tenant-b").then().statusCode(403)
                .contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void an_app_role_entry_grants_nothing_under_this_configuration() {
        String token = "Bearer " + EmulatorControl.at(emulator).post("/_emulator/tenants/" + EmulatorConfig.ISSUER_TENANT
                + "/tokens", "{\"subject\":\"test-user\",\"audience\":\"" + EmulatorConfig.API_CLIENT_ID
                + "\",\"roles\":[\"" + Roles.READER + "\",\"" + Roles.tenant("tenant-a") + "\"]}").path("token").asText();
        given().header("Authorization", token).when().get("/api/probe/runs/tenant-a").then().statusCode(403);
    }
}
