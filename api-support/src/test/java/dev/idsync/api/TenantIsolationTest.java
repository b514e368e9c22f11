package dev.idsync.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.TestTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The tenant filter itself, on every way an API names a tenant ({@code {tenant}}, {@code {tenantId}},
 * {@code ?tenant=}): a token scoped to A gets 403 problem+json naming B and nothing is written; A works on
 * A; the operator role works on both.
 */
@QuarkusTest
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class TenantIsolationTest {

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Test
    void a_token_scoped_to_one_tenant_is_refused_on_another_and_nothing_is_written() {
        String tokenA = TestTokens.bearerForTenants(emulator, List.of("tenant-a"), Roles.WRITER);
        int before = ProbeResource.WRITTEN.size();
        given().header("Authorization", tokenA).contentType("application/json").body("{\"name\":\"x\",\"count\":1}")
                .when().post("/api/probe/tenants/tenant-b/things")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("the token does not grant tenant 'tenant-b'"))
                .body("errors[0].field", equalTo("tenant"));
        assertThat(ProbeResource.WRITTEN).hasSize(before);
        given().header("Authorization", tokenA).contentType("application/json").body("{\"name\":\"x\",\"count\":1}")
                .when().post("/api/probe/tenants/tenant-a/things").then().statusCode(201);
        assertThat(ProbeResource.WRITTEN).hasSize(before + 1).last().isEqualTo("tenant-a:x");
    }

    @Test
    void the_tenant_is_checked_in_a_tenantId_path_parameter_and_in_every_tenant_query_parameter() {
        String tokenA = TestTokens.bearerForTenants(emulator, List.of("tenant-a"), Roles.READER);
        given().header("Authorization", tokenA).when().get("/api/probe/runs/tenant-b")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("tenantId"));
        given().header("Authorization", tokenA).when().get("/api/probe/runs/tenant-a").then().statusCode(200);
        given().header("Authorization", tokenA).when().get("/api/probe/query?tenant=tenant-b")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("tenant"));
        given().header("Authorization", tokenA).when().get("/api/probe/query?tenant=tenant-a&tenant=tenant-b")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", tokenA).when().get("/api/probe/query?tenant=tenant-a")
                .then().statusCode(200).body(equalTo("tenant-a:10"));
    }

    @Test
    void the_operator_role_acts_on_every_tenant_and_a_token_without_scope_on_none() {
        String operator = TestTokens.bearer(emulator, Roles.READER);
        for (String tenant : List.of("tenant-a", "tenant-b")) {
            given().header("Authorization", operator).when().get("/api/probe/runs/" + tenant)
                    .then().statusCode(200).body(equalTo(tenant));
        }
        String none = TestTokens.bearerForTenants(emulator, List.of(), Roles.READER);
        given().header("Authorization", none).when().get("/api/probe/runs/tenant-a")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void without_a_token_the_answer_stays_401_and_a_permit_all_endpoint_is_not_tenant_checked() {
        given().when().get("/api/probe/runs/tenant-a").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().when().post("/api/probe/tenants/tenant-b/open").then().statusCode(200).body(equalTo("tenant-b"));
    }

    @Test
    void a_claim_of_bare_tenant_ids_works_with_the_entry_template_tenant() {
        ApiConfig.Tenants bare = new ApiConfig.Tenants() {
            public String claim() {
                return "idsync_tenants";
            }

            public String entry() {
                return "{tenant}";
            }

            public String operatorRole() {
                return Roles.OPERATOR;
            }
        };
        TenantScope scope = TenantScope.of(List.of("contoso", "fabrikam"), Set.of(Roles.ADMIN), bare);
        assertThat(scope.allows("contoso")).isTrue();
        assertThat(scope.allows("northwind")).isFalse();
        assertThat(TenantScope.of("contoso", Set.of(), bare).tenants()).containsExactly("contoso");
        assertThat(TenantScope.of(null, Set.of(Roles.OPERATOR), bare).allows("anything")).isTrue();
    }
}
