package dev.idsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The 100,000 users / 10,000 groups / 1,000,000 memberships tenant: heap after seeding and delta
 * pages per second. Not part of the default suite (it needs a 2 GiB heap and a minute of two cores):
 * <pre>./mvnw -pl graph-emulator test -Dtest=ScaleMeasurementTest -Demulator.excluded-test-groups=none -Demulator.test-heap=-Xmx2g</pre>
 * Results are printed and written to target/scale-report.txt.
 */
@QuarkusTest
@Tag("scale")
class ScaleMeasurementTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aTenantOf100kUsers10kGroupsAnd1mMembershipsFitsInTwoGibibytesAndPagesQuickly() throws Exception {
        String tenant = EmulatorClient.createTenant("scale");
        long seedStarted = System.nanoTime();
        var seeded = EmulatorClient.seed(tenant, 100_000, 10_000, 1_000_000, 8, 100);
        double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
        long heapAfterSeed = usedHeapAfterGc();
        String token = EmulatorClient.appToken(tenant);
        String base = "http://localhost:" + RestAssured.port;

        Round users = round(token, base + "/v1.0/users/delta?$select=displayName,userPrincipalName,accountEnabled,companyName,department,jobTitle");
        Round groups = round(token, base + "/v1.0/groups/delta?$select=displayName,securityEnabled,members");
        List<Map<String, Object>> mutations = new ArrayList<>();
        List<String> ids = EmulatorClient.graphGet(token, "/v1.0/users/delta?$select=displayName", "odata.maxpagesize=200")
                .jsonPath().getList("value.id", String.class);
        for (String id : ids) {
            mutations.add(EmulatorClient.op("updateUser", "id", id, "properties", Map.of("jobTitle", "Skaliert")));
        }
        EmulatorClient.mutate(tenant, mutations);
        Round followUp = round(token, users.deltaLink());
        long heapAfterRounds = usedHeapAfterGc();

        String report = String.format(java.util.Locale.ROOT, """
                scale tenant: %d users, %d groups, %d memberships, %d directory roles
                seed: %.1f s (server-side %d ms)
                heap used after seed (after GC): %d MiB; after paging: %d MiB; max heap %d MiB
                users/delta initial round: %d pages, %d items, %.1f s, %.0f pages/s, %.0f objects/s
                groups/delta initial round (members): %d pages, %d items, %d member links, %.1f s, %.0f pages/s, %.0f links/s
                users/delta follow-up after %d updates: %d pages, %d items, %.2f s
                """, seeded.getInt("users"), seeded.getInt("groups"), seeded.getInt("memberships"),
                seeded.getInt("directoryRoles"), seedSeconds, seeded.getLong("millis"),
                heapAfterSeed >> 20, heapAfterRounds >> 20, Runtime.getRuntime().maxMemory() >> 20,
                users.pages(), users.items(), users.seconds(), users.pages() / users.seconds(), users.items() / users.seconds(),
                groups.pages(), groups.items(), groups.links(), groups.seconds(), groups.pages() / groups.seconds(),
                groups.links() / groups.seconds(), mutations.size(), followUp.pages(), followUp.items(), followUp.seconds());
        System.out.println(report);
        Files.writeString(Path.of("target/scale-report.txt"), report);

        assertThat(users.items()).isEqualTo(100_000);
        assertThat(groups.links()).isEqualTo(1_000_000);
        assertThat(followUp.items()).isEqualTo(200);
        assertThat(heapAfterRounds).isLessThan(2L << 30);
    }

    record Round(int pages, int items, long links, double seconds, String deltaLink) {
    }

    private Round round(String token, String first) throws Exception {
        long started = System.nanoTime();
        int pages = 0;
        int items = 0;
        long links = 0;
        String url = first;
        while (true) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Prefer", "odata.maxpagesize=200").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = json.readTree(response.body());
            pages++;
            for (JsonNode item : page.get("value")) {
                items++;
                links += item.path("members@delta").size();
            }
            if (page.has("@odata.deltaLink")) {
                return new Round(pages, items, links, (System.nanoTime() - started) / 1e9,
                        page.get("@odata.deltaLink").asText());
            }
            url = page.get("@odata.nextLink").asText();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
