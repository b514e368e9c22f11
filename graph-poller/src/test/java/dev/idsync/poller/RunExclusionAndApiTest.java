package dev.idsync.poller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One run per tenant and resource, on this and any other instance; the API's answers for bad requests. */
@QuarkusTest
class RunExclusionAndApiTest extends PollerQuarkusTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrent_triggers_start_one_run_and_the_others_get_409_naming_it() throws Exception {
        String tenant = "poller-concurrent";
        support.createTenant(tenant, 1_000, 5, 50, 1);
        support.addFault(Map.of("path", "/users/delta", "type", "LATENCY", "latencyMillis", 200));
        String admin = support.admin();
        int callers = 6;
        CountDownLatch ready = new CountDownLatch(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            answers.add(pool.submit(() -> {
                ready.countDown();
                ready.await();
                return given().header("Authorization", admin).contentType("application/json").body("{}")
                        .post("/api/tenants/{t}/sync-runs", tenant);
            }));
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> a : answers) {
            responses.add(a.get());
        }
        pool.shutdown();

        List<Response> accepted = responses.stream().filter(r -> r.statusCode() == 202).toList();
        List<Response> conflicts = responses.stream().filter(r -> r.statusCode() == 409).toList();
        assertThat(accepted).hasSize(1);
        assertThat(conflicts).hasSize(callers - 1);
        String runId = accepted.get(0).path("runId");
        assertThat(conflicts).allSatisfy(r -> {
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.<String>path("activeRunId")).isEqualTo(runId);
        });
        support.clearFaults();
        assertThat(support.awaitEnd(tenant, runId, Duration.ofMinutes(1)).getString("state")).isEqualTo("completed");
    }

    @Test
    void a_run_held_by_another_instance_blocks_the_resource_until_that_instance_lets_go() throws Exception {
        String tenant = "poller-concurrent";
        support.createTenant(tenant, 20, 2, 5, 1);
        // Another poller instance: its own database session holding the users lock of this tenant.
        try (Connection other = dataSource.getConnection();
             PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "idsync-poller:" + tenant + ":users");
            lock.execute();

            given().header("Authorization", support.admin()).contentType("application/json")
                    .body("{\"resources\":[\"users\"]}").post("/api/tenants/{t}/sync-runs", tenant)
                    .then().statusCode(409).contentType(containsString("application/problem+json"));
            // Other resources of the tenant are free.
            String groups = support.startRun(tenant, "{\"resources\":[\"groups\"]}");
            assertThat(support.awaitEnd(tenant, groups, Duration.ofMinutes(1)).getString("state")).isEqualTo("completed");

            try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock_all()")) {
                unlock.execute();
            }
        }
        String users = support.startRun(tenant, "{\"resources\":[\"users\"]}");
        assertThat(support.awaitEnd(tenant, users, Duration.ofMinutes(1)).getString("state")).isEqualTo("completed");
    }

    @Test
    void an_unknown_tenant_is_404_as_problem_json() {
        given().header("Authorization", support.admin()).contentType("application/json").body("{}")
                .post("/api/tenants/{t}/sync-runs", "no-such-tenant")
                .then().statusCode(404).contentType(containsString("application/problem+json"))
                .body("status", equalTo(404)).body("detail", containsString("no-such-tenant"));
        given().header("Authorization", support.reader()).get("/api/tenants/{t}/sync-runs", "no-such-tenant")
                .then().statusCode(404).contentType(containsString("application/problem+json"));
        given().header("Authorization", support.reader())
                .get("/api/tenants/{t}/sync-runs/{r}", "poller-initial", "no-such-run")
                .then().statusCode(404).contentType(containsString("application/problem+json"));
    }

    @Test
    void a_bad_mode_resource_or_limit_is_400_naming_the_field() {
        given().header("Authorization", support.admin()).contentType("application/json").body("{\"mode\":\"sometimes\"}")
                .post("/api/tenants/{t}/sync-runs", "poller-initial")
                .then().statusCode(400).contentType(containsString("application/problem+json"))
                .body("errors.field", hasItem("mode")).body("detail", containsString("delta, full, dryRun"));
        given().header("Authorization", support.admin()).contentType("application/json").body("{\"resources\":[\"devices\"]}")
                .post("/api/tenants/{t}/sync-runs", "poller-initial")
                .then().statusCode(400).body("errors.field", hasItem("resources"));
        given().header("Authorization", support.admin()).contentType("application/json").body("{\"limitUsers\":0}")
                .post("/api/tenants/{t}/sync-runs", "poller-initial")
                .then().statusCode(400).body("errors.field", hasItem("limitUsers"));
    }

    @Test
    void a_missing_token_is_401_and_a_reader_may_not_start_runs_403_both_problem_json() {
        given().contentType("application/json").body("{}").post("/api/tenants/{t}/sync-runs", "poller-initial")
                .then().statusCode(401).contentType(containsString("application/problem+json"))
                .header("WWW-Authenticate", notNullValue());
        given().get("/api/tenants/{t}/sync-runs", "poller-initial").then().statusCode(401);
        given().header("Authorization", support.reader()).contentType("application/json").body("{}")
                .post("/api/tenants/{t}/sync-runs", "poller-initial")
                .then().statusCode(403).contentType(containsString("application/problem+json"));
        given().header("Authorization", support.admin().replace("Bearer ", "Bearer x"))
                .get("/api/tenants/{t}/sync-runs", "poller-initial").then().statusCode(401);
    }
}
