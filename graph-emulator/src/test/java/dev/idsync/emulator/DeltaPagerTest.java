package dev.idsync.emulator;

import static dev.idsync.emulator.EmulatorClient.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idsync.emulator.authority.HttpsAuthorityServer;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphRequestException;
import dev.idsync.graph.RetryPolicy;
import dev.idsync.graph.delta.DeltaItem;
import dev.idsync.graph.delta.DeltaPage;
import dev.idsync.graph.delta.DeltaPageFetcher;
import dev.idsync.graph.delta.DeltaPageResult;
import dev.idsync.graph.delta.DeltaQuery;
import dev.idsync.graph.delta.DeltaRequestOptions;
import dev.idsync.graph.delta.DeltaResource;
import dev.idsync.graph.delta.MemberDelta;
import dev.idsync.graph.delta.RemovalReason;
import dev.idsync.graph.delta.ResyncRequired;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** graph-access' delta pager against the emulator over real HTTP, with injected faults. */
@QuarkusTest
class DeltaPagerTest {

    private static final DeltaRequestOptions PAGE_200 = new DeltaRequestOptions(200, false);

    @Inject
    HttpsAuthorityServer https;

    private String tenant;
    private GraphAccess access;
    private DeltaPageFetcher pager;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("pager");
        EmulatorClient.seed(tenant, 700, 6, 1500, 2, 5);
        access = GraphAccessFixture.connect(tenant, https);
        pager = access.deltaPages();
    }

    @AfterEach
    void clearFaults() {
        RestAssured.delete("/_emulator/faults").then().statusCode(204);
    }

    @Test
    void pagerFollowsNextLinksToTheDeltaLinkWithTypedItemsAndGraphsDate() {
        List<DeltaPage> pages = round(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS,
                List.of("displayName", "accountEnabled")), PAGE_200);

        assertThat(pages).hasSize(4);
        assertThat(pages.subList(0, 3)).allSatisfy(p -> assertThat(p.nextLink()).isPresent());
        assertThat(pages.get(3).deltaLink()).isPresent();
        assertThat(pages.stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(700);
        DeltaItem first = pages.get(0).items().get(0);
        assertThat(first.properties()).containsOnlyKeys("displayName", "accountEnabled");
        assertThat(pages.get(0).observedAt()).isPresent();
        assertThat(pages.get(0).rawDate()).endsWith("GMT");
    }

    @Test
    void pagerParsesRemovedObjectsAndMembersDeltaInTypedAndRawForm() {
        List<DeltaPage> initial = round(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.GROUPS,
                List.of("displayName", "members")), PAGE_200);
        List<DeltaItem> all = initial.stream().flatMap(p -> p.items().stream()).toList();
        DeltaItem hr = named(all, "App-Northwind-HR");
        String group = hr.id();
        String deletedGroup = named(all, "App-Northwind-Accounting").id();
        String member = hr.membersDelta().get(0).id();
        EmulatorClient.mutate(tenant, List.of(op("removeMember", "groupId", group, "memberId", member),
                op("hardDeleteGroup", "id", deletedGroup)));

        List<DeltaPage> followUp = round(initial.get(initial.size() - 1).deltaLink().orElseThrow(), PAGE_200);
        List<DeltaItem> items = followUp.stream().flatMap(p -> p.items().stream()).toList();

        DeltaItem changed = items.stream().filter(i -> i.id().equals(group)).findFirst().orElseThrow();
        MemberDelta removal = changed.membersDelta().get(0);
        assertThat(removal.id()).isEqualTo(member);
        assertThat(removal.removed()).contains(RemovalReason.DELETED);
        assertThat(removal.isUser()).isTrue();
        assertThat((List<?>) changed.raw().get("members@delta")).hasSize(1);
        DeltaItem gone = items.stream().filter(i -> i.id().equals(deletedGroup)).findFirst().orElseThrow();
        assertThat(gone.removed()).contains(RemovalReason.DELETED);
        assertThat(gone.raw()).containsEntry("@removed", Map.of("reason", "deleted"));
    }

    @Test
    void throttlingIsRetriedAfterTheRetryAfterGraphAsksFor() {
        fault(Map.of("path", "/v1.0/users/delta", "type", "THROTTLE", "retryAfterSeconds", 1, "count", 2));

        long started = System.nanoTime();
        DeltaPageResult result = pager.fetch(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS, List.of()),
                PAGE_200);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result).isInstanceOfSatisfying(DeltaPage.class, page -> {
            assertThat(page.attempts()).isEqualTo(3);
            assertThat(page.items()).hasSize(200);
        });
        assertThat(elapsed).as("two Retry-After: 1 waits").isGreaterThanOrEqualTo(Duration.ofSeconds(2))
                .isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void serviceUnavailableIsRetriedHonouringRetryAfter() {
        fault(Map.of("path", "/v1.0/groups/delta", "type", "UNAVAILABLE", "retryAfterSeconds", 1, "count", 1));

        long started = System.nanoTime();
        DeltaPageResult result = pager.fetch(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.GROUPS, List.of()),
                PAGE_200);

        assertThat(result).isInstanceOf(DeltaPage.class);
        assertThat(((DeltaPage) result).attempts()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aDroppedConnectionIsRetriedWithBackoff() {
        fault(Map.of("path", "/v1.0/users/delta", "type", "DROP_CONNECTION", "count", 1));

        DeltaPageResult result = pager.fetch(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS, List.of()),
                PAGE_200);

        assertThat(result).isInstanceOfSatisfying(DeltaPage.class, page -> assertThat(page.attempts()).isEqualTo(2));
    }

    @Test
    void aRetryAfterLongerThanTheClientWaitsEndsTheRequestAtOnceAsTransient() {
        fault(Map.of("path", "/v1.0/users/delta", "type", "THROTTLE", "retryAfterSeconds", 3600));

        long started = System.nanoTime();
        assertThatThrownBy(() -> pager.fetch(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS, List.of()),
                PAGE_200))
                .isInstanceOfSatisfying(GraphRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.errorCode()).contains("TooManyRequests");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void retriesStopAtTheConfiguredNumberOfAttempts() {
        fault(Map.of("path", "/v1.0/users/delta", "type", "UNAVAILABLE"));
        DeltaPageFetcher impatient = dev.idsync.graph.GraphAccess.connect(GraphAccessFixture.config(tenant,
                EmulatorClient.CLIENT_ID, https, new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofSeconds(10), Duration.ofSeconds(10)))).deltaPages();

        assertThatThrownBy(() -> impatient.fetch(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS, List.of()),
                PAGE_200)).isInstanceOfSatisfying(GraphRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.attempts()).isEqualTo(3);
                });
    }

    @Test
    void bothFormsOfAnExpiredTokenBecomeAResyncRequiredResult() {
        List<DeltaPage> initial = round(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS,
                List.of("displayName")), PAGE_200);
        URI deltaLink = initial.get(initial.size() - 1).deltaLink().orElseThrow();

        invalidate("SYNC_STATE_NOT_FOUND");
        DeltaPageResult expired = pager.fetch(deltaLink, DeltaRequestOptions.defaults());
        assertThat(expired).isInstanceOfSatisfying(ResyncRequired.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("syncStateNotFound");
            assertThat(r.freshQuery()).isEmpty();
        });

        List<DeltaPage> again = round(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS,
                List.of("displayName")), PAGE_200);
        invalidate("GONE");
        DeltaPageResult gone = pager.fetch(again.get(again.size() - 1).deltaLink().orElseThrow(),
                DeltaRequestOptions.defaults());
        assertThat(gone).isInstanceOfSatisfying(ResyncRequired.class, r -> {
            assertThat(r.status()).isEqualTo(410);
            assertThat(r.freshQuery()).hasValueSatisfying(u -> assertThat(u.toString()).contains("/v1.0/users/delta?$select="));
        });
    }

    @Test
    void returnMinimalOnTheDeltaLinkYieldsOnlyChangedProperties() {
        List<DeltaPage> initial = round(DeltaQuery.initial(access.graphBaseUrl(), DeltaResource.USERS,
                List.of("displayName", "jobTitle", "city")), PAGE_200);
        String id = initial.get(0).items().get(0).id();
        EmulatorClient.mutate(tenant, List.of(op("updateUser", "id", id, "properties", Map.of("city", "Bremen"))));

        List<DeltaPage> followUp = round(initial.get(initial.size() - 1).deltaLink().orElseThrow(),
                new DeltaRequestOptions(null, true));

        assertThat(followUp.get(0).items()).singleElement().satisfies(item -> {
            assertThat(item.properties()).containsOnlyKeys("city").containsEntry("city", "Bremen");
            assertThat(item.has("displayName")).isFalse();
        });
    }

    private List<DeltaPage> round(URI first, DeltaRequestOptions options) {
        List<DeltaPage> pages = new ArrayList<>();
        URI next = first;
        while (next != null) {
            DeltaPage page = (DeltaPage) pager.fetch(next, options);
            pages.add(page);
            next = page.nextLink().orElse(null);
        }
        return pages;
    }

    private static DeltaItem named(List<DeltaItem> items, String displayName) {
        return items.stream().filter(i -> displayName.equals(i.properties().get("displayName"))).findFirst().orElseThrow();
    }

    private static void fault(Map<String, Object> spec) {
        RestAssured.given().contentType(ContentType.JSON).body(spec).post("/_emulator/faults").then().statusCode(201);
    }

    private void invalidate(String form) {
        RestAssured.given().contentType(ContentType.JSON).body(Map.of("response", form))
                .post("/_emulator/tenants/{t}/delta-tokens/invalidate", tenant).then().statusCode(200);
    }
}
