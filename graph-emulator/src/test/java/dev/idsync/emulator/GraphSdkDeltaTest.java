package dev.idsync.emulator;

import static dev.idsync.emulator.EmulatorClient.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.delta.DeltaGetResponse;
import dev.idsync.emulator.authority.HttpsAuthorityServer;
import dev.idsync.graph.GraphAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Microsoft's own Graph Java SDK, authenticated by azure-identity against the emulator's HTTPS authority,
 * pages through users/delta of a 10,000-user tenant; a second round after control-API mutations must
 * deliver exactly the differences between the two snapshots of the tenant.
 */
@QuarkusTest
class GraphSdkDeltaTest {

    private static final String[] SELECT = {"displayName", "userPrincipalName", "accountEnabled", "companyName", "jobTitle"};

    @Inject
    HttpsAuthorityServer https;

    @Test
    void sdkPagesTheSeededTenantToADeltaLinkAndTheNextRoundDeliversExactlyTheMutations() {
        String tenant = EmulatorClient.createTenant("sdk");
        EmulatorClient.seed(tenant, 10_000, 50, 30_000, 4, 2024);
        GraphAccess access = GraphAccessFixture.connect(tenant, https);
        GraphServiceClient graph = access.graph();

        Map<String, Map<String, Object>> local = new HashMap<>();
        Round first = round(graph, null, local);
        Map<String, Map<String, Object>> before = snapshotUsers(EmulatorClient.snapshot(tenant));
        assertThat(first.pages()).isEqualTo(50);
        assertThat(local).isEqualTo(before);

        List<String> ids = new ArrayList<>(before.keySet());
        ids.sort(null);
        List<Map<String, Object>> mutations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            mutations.add(op("updateUser", "id", ids.get(i), "properties", Map.of("jobTitle", "Titel " + i)));
        }
        for (int i = 20; i < 30; i++) {
            // Not a selected property: Graph does not report it, and neither may the emulator.
            mutations.add(op("updateUser", "id", ids.get(i), "properties", Map.of("department", "Nicht Ausgewählt")));
        }
        for (int i = 30; i < 35; i++) {
            mutations.add(op("updateUser", "id", ids.get(i), "properties", Map.of("accountEnabled", false)));
        }
        for (int i = 35; i < 40; i++) {
            mutations.add(op("softDeleteUser", "id", ids.get(i)));
        }
        for (int i = 40; i < 45; i++) {
            mutations.add(op("hardDeleteUser", "id", ids.get(i)));
        }
        for (int i = 0; i < 5; i++) {
            mutations.add(op("createUser", "properties", Map.of("displayName", "Neu " + i, "accountEnabled", true,
                    "userPrincipalName", "neu" + i + "@northwind.example", "mailNickname", "neu" + i,
                    "companyName", "Northwind GmbH")));
        }
        EmulatorClient.mutate(tenant, mutations);
        Map<String, Map<String, Object>> after = snapshotUsers(EmulatorClient.snapshot(tenant));

        Map<String, Map<String, Object>> changes = new HashMap<>();
        Round second = round(graph, first.deltaLink(), changes);

        assertThat(changes.keySet()).isEqualTo(differingIds(before, after));
        apply(local, changes);
        assertThat(local).isEqualTo(after);
        // azure-identity fetched one token over HTTPS for all ~100 Graph requests: the credential caches.
        List<Map<String, Object>> tokenRequests = RestAssured.given().queryParam("path", "/" + tenant + "/oauth2/")
                .get("/_emulator/requests").jsonPath().getList("$");
        assertThat(tokenRequests).hasSize(1).first().satisfies(r -> assertThat(r).containsEntry("server", "https"));
        assertThat(second.deltaLink()).isNotEqualTo(first.deltaLink());
    }

    record Round(int pages, String deltaLink) {
    }

    /** One delta round through the SDK; items land in {@code into} (removed ones as null). */
    private static Round round(GraphServiceClient graph, String deltaLink, Map<String, Map<String, Object>> into) {
        DeltaGetResponse page = deltaLink == null
                ? graph.users().delta().get(rc -> {
                    rc.queryParameters.select = SELECT;
                    rc.headers.add("Prefer", "odata.maxpagesize=200");
                })
                : graph.users().delta().withUrl(deltaLink).get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=200"));
        int pages = 1;
        while (true) {
            for (User user : page.getValue()) {
                boolean removed = user.getAdditionalData().containsKey("@removed");
                into.put(user.getId(), removed ? null : properties(user));
            }
            if (page.getOdataNextLink() == null) {
                return new Round(pages, page.getOdataDeltaLink());
            }
            page = graph.users().delta().withUrl(page.getOdataNextLink())
                    .get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=200"));
            pages++;
        }
    }

    private static Map<String, Object> properties(User user) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("displayName", user.getDisplayName());
        p.put("userPrincipalName", user.getUserPrincipalName());
        p.put("accountEnabled", user.getAccountEnabled());
        p.put("companyName", user.getCompanyName());
        p.put("jobTitle", user.getJobTitle());
        return p;
    }

    private static Map<String, Map<String, Object>> snapshotUsers(JsonPath snapshot) {
        Map<String, Map<String, Object>> users = new HashMap<>();
        for (Map<String, Object> user : snapshot.<Map<String, Object>>getList("users")) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (String name : SELECT) {
                p.put(name, user.get(name));
            }
            users.put((String) user.get("id"), p);
        }
        return users;
    }

    private static Set<String> differingIds(Map<String, Map<String, Object>> before, Map<String, Map<String, Object>> after) {
        Set<String> ids = new HashSet<>(before.keySet());
        ids.addAll(after.keySet());
        ids.removeIf(id -> Objects.equals(before.get(id), after.get(id)));
        return ids;
    }

    private static void apply(Map<String, Map<String, Object>> local, Map<String, Map<String, Object>> changes) {
        changes.forEach((id, properties) -> {
            if (properties == null) {
                local.remove(id);
            } else {
                local.put(id, properties);
            }
        });
    }
}
