package dev.idsync.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.idsync.api.Problem;
import dev.idsync.api.Roles;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read API, sync status and the Excel export over a store filled through the real observation topic. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ReadApiAndExportTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = EmulatorConfig.URL)
    String emulator;

    @Inject
    AgroalDataSource dataSource;

    // A tenant of idsync-test.yaml (events of a tenant not listed there are dead-lettered), filled once: the
    // tests only read it.
    private final String tenant = "read";
    private static final AtomicBoolean FILLED = new AtomicBoolean();
    private String reader;

    @BeforeEach
    void fill() {
        reader = TestTokens.bearer(emulator, Roles.READER);
        if (FILLED.getAndSet(true)) {
            return;
        }
        StoreProbe store = new StoreProbe(dataSource, tenant);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant dayAgo = now.minus(Duration.ofHours(25));
        List<SyncEvent> events = new ArrayList<>(List.of(store.started("full", SyncMode.FULL, 1, now.minusSeconds(5))));
        events.add(new UserUpserted(tenant, "fresh", "full", 1, now, Map.of("displayName", "Fresh Fiona",
                "userPrincipalName", "fiona@read.example", "department", "Sales", "accountEnabled", true)));
        events.add(new UserUpserted(tenant, "old", "full", 1, dayAgo, Map.of("displayName", "Old Oscar",
                "userPrincipalName", "oscar@read.example", "department", "Finance")));
        events.add(new GroupUpserted(tenant, "sales", "full", 1, now, Map.of("displayName", "Sales Team")));
        events.add(MembershipAdded.of(tenant, "sales", "full", 1, now, "fresh", MemberType.USER));
        events.add(MembershipAdded.of(tenant, "sales", "full", 1, now, "pending-person", MemberType.USER));
        events.add(new DirectoryRoleUpserted(tenant, "ga", "full", 1, now, Map.of("displayName", "Global Administrator")));
        events.add(DirectoryRoleMemberAdded.of(tenant, "ga", "full", 1, now, "fresh", MemberType.USER));
        events.add(store.completed("full", SyncMode.FULL, 1, now.plusSeconds(1)));
        Observations.publish(bootstrapServers, events);
        await().atMost(WAIT).until(() -> store.count(
                "select count(*) from directory.sync_runs where tenant_id = ? and status = 'completed'") == 1
                && store.object("ga") != null && store.members("ga").size() == 1);
    }

    @Test
    void users_not_confirmed_for_24_hours_are_stale_and_listed_as_such() {
        given().header("Authorization", reader).when().get("/api/tenants/" + tenant + "/users?stale=true")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo("old"))
                .body("items[0].stale", equalTo(true));
        given().header("Authorization", reader).when().get("/api/tenants/" + tenant + "/sync-status")
                .then().statusCode(200)
                .body("users.active", equalTo(2)).body("users.stale", equalTo(1)).body("users.placeholders", equalTo(1))
                .body("resources.users.runId", equalTo("full")).body("lastFullSync.epoch", equalTo(1))
                .body("lastSuccessfulSync", notNullValue());
    }

    @Test
    void users_are_searched_filtered_and_paged_and_one_user_comes_with_its_groups_and_roles() {
        given().header("Authorization", reader).queryParam("search", "fiona").queryParam("department", "Sales")
                .when().get("/api/tenants/" + tenant + "/users")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].attributes.displayName", equalTo("Fresh Fiona"));
        given().header("Authorization", reader).queryParam("size", 1).queryParam("page", 1)
                .when().get("/api/tenants/" + tenant + "/users")
                .then().statusCode(200).body("total", equalTo(3)).body("items.size()", equalTo(1));
        given().header("Authorization", reader).when().get("/api/tenants/" + tenant + "/users/fresh")
                .then().statusCode(200).body("memberOf.displayName", contains("Global Administrator", "Sales Team"));
        given().header("Authorization", reader).when().get("/api/tenants/" + tenant + "/groups/sales/members")
                .then().statusCode(200).body("total", equalTo(2))
                .body("items.find { it.id == 'pending-person' }.placeholder", equalTo(true));
        given().header("Authorization", reader).when().get("/api/tenants/" + tenant + "/groups?search=sales")
                .then().statusCode(200).body("items[0].id", equalTo("sales"));
    }

    @Test
    void bad_parameters_unknown_objects_and_missing_tokens_are_problems() {
        given().header("Authorization", reader).queryParam("state", "deleted")
                .when().get("/api/tenants/" + tenant + "/users")
                .then().statusCode(422).contentType(Problem.MEDIA_TYPE).body("errors[0].field", equalTo("state"));
        given().header("Authorization", reader).when().get("/api/tenants/" + tenant + "/users/nobody")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().when().get("/api/tenants/" + tenant + "/users").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void the_export_is_a_real_xlsx_with_one_row_per_user() throws Exception {
        InputStream xlsx = given().header("Authorization", reader)
                .when().get("/api/tenants/" + tenant + "/users/export.xlsx")
                .then().statusCode(200).contentType(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                .extract().asInputStream();
        try (ReadableWorkbook workbook = new ReadableWorkbook(xlsx)) {
            List<Row> rows = workbook.getFirstSheet().read();
            assertThat(rows.getFirst().getCellAsString(0)).contains("id");
            assertThat(rows.getFirst().getCellAsString(1)).contains("displayName");
            assertThat(rows).hasSize(4); // header + fresh, old, the placeholder
            Row fresh = rows.stream().filter(r -> r.getCellAsString(0).orElse("").equals("fresh")).findFirst().orElseThrow();
            assertThat(fresh.getCellAsString(1)).contains("Fresh Fiona");
            assertThat(fresh.getCellAsString(2)).contains("fiona@read.example");
        }
    }
}
