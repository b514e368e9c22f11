package dev.idsync.audit.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.api.Roles;
import dev.idsync.audit.AuditTestSupport;
import dev.idsync.events.CeIds;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * 100,000 events through the real broker: each recorded once, each returned once by cursor paging (while
 * more events are being recorded), the chain verified, and the export streamed although it is larger than
 * the test JVM's whole heap (surefire runs this module with a small -Xmx), so it cannot have been
 * assembled in memory. Prints the measured numbers (AUDIT-NUMBERS) that the README quotes.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class HundredThousandEventsTest {

    private static final int EVENTS = 100_000;
    private static final int LATE_EVENTS = 2_000;
    private static final int CHUNK = 10_000;
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @TestHTTPResource("/api/audit/export")
    URL exportUrl;

    @TestHTTPResource("/api/audit/events")
    URL eventsUrl;

    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    AgroalDataSource dataSource;

    private final String tenant = "t-" + UUID.randomUUID();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void hundred_thousand_events_are_recorded_once_paged_once_verified_and_exported_larger_than_the_heap()
            throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        // Each exported line carries this much padding, so that the whole export exceeds the heap by a third.
        String padding = "audit ".repeat((int) Math.max(100, (maxHeap * 4 / 3 / (EVENTS + LATE_EVENTS) - 700) / 6));
        String reader = TestTokens.bearer(emulatorUrl, Roles.READER);

        long started = System.nanoTime();
        Set<String> published = publish("u", EVENTS, padding);
        long publishedAt = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> AuditTestSupport.count(dataSource, tenant) == EVENTS);
        double recordSeconds = (System.nanoTime() - started) / 1e9;

        // Page through while more events of the same tenant are being recorded.
        CompletableFuture<Set<String>> late = CompletableFuture.supplyAsync(() -> publish("late", LATE_EVENTS, "x"));
        Set<String> expected = new HashSet<>(published);
        Set<String> lateIds = new HashSet<>(); // late events' object ids ("late0".."late1999"): each may appear once
        for (int i = 0; i < LATE_EVENTS; i++) {
            lateIds.add("late" + i);
        }
        Set<String> lateSeen = new HashSet<>();
        long pagingStarted = System.nanoTime();
        int pages = 0;
        int seen = 0;
        String cursor = null;
        do {
            // java.net.http and Jackson: RestAssured's JsonPath needs seconds for a 3 MB page.
            String uri = eventsUrl + "?tenant=" + tenant + "&limit=1000" + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                    .header("Authorization", reader).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            var page = json.readTree(response.body());
            for (var item : page.path("items")) {
                String id = item.path("ceId").asText();
                assertThat(expected.remove(id) || (lateIds.contains(item.path("objectId").asText()) && lateSeen.add(id)))
                        .as("returned twice or unknown: %s", id).isTrue();
                seen++;
            }
            pages++;
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null && !expected.isEmpty());
        double pagingSeconds = (System.nanoTime() - pagingStarted) / 1e9;
        assertThat(expected).as("published but never returned").isEmpty();
        published.addAll(late.get());
        int total = EVENTS + LATE_EVENTS;
        await().atMost(Duration.ofMinutes(1)).until(() -> AuditTestSupport.count(dataSource, tenant) == total);

        long verifyStarted = System.nanoTime();
        JsonPath verify = given().header("Authorization", reader).queryParam("tenant", tenant)
                .when().get("/api/audit/verify").then().statusCode(200).extract().jsonPath();
        double verifySeconds = (System.nanoTime() - verifyStarted) / 1e9;
        assertThat(verify.getBoolean("intact")).as(verify.prettify()).isTrue();
        assertThat(verify.getLong("rowsChecked")).isEqualTo(total);

        long exportStarted = System.nanoTime();
        Export ndjson = export("ndjson", reader, published);
        double ndjsonSeconds = (System.nanoTime() - exportStarted) / 1e9;
        Export csv = export("csv", reader, null);

        assertThat(ndjson.lines).isEqualTo(total);
        assertThat(ndjson.unseen).as("exported ids").isEmpty();
        assertThat(csv.lines).isEqualTo(total + 1); // the header
        assertThat(ndjson.bytes).as("export larger than the whole heap").isGreaterThan(maxHeap);
        assertThat(csv.bytes).isGreaterThan(maxHeap);

        System.out.printf(
                "AUDIT-NUMBERS events=%d publish=%.1fs recorded-after=%.1fs (%.0f events/s, broker to committed row) "
                        + "paging=%d pages in %.1fs (%d rows seen) verify=%d rows in %.2fs (%.0f rows/s) "
                        + "export-ndjson=%d MiB in %.1fs csv=%d MiB max-heap=%d MiB consumer=%.0f events/s (first to last commit)%n",
                EVENTS, (publishedAt - started) / 1e9, recordSeconds, EVENTS / recordSeconds, pages, pagingSeconds, seen,
                total, verifySeconds, total / verifySeconds, ndjson.bytes >> 20, ndjsonSeconds, csv.bytes >> 20,
                maxHeap >> 20, consumerRate());
    }

    private record Export(long lines, long bytes, Set<String> unseen) {
    }

    /** Streams the export and counts it line by line; with {@code expectedIds}, checks each id once. */
    private Export export(String format, String bearer, Set<String> expectedIds) throws Exception {
        Set<String> unseen = expectedIds == null ? Set.of() : new HashSet<>(expectedIds);
        HttpRequest request = HttpRequest.newBuilder(URI.create(exportUrl + "?tenant=" + tenant + "&format=" + format))
                .header("Authorization", bearer).GET().build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long lines = 0;
        long bytes = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                bytes += line.length() + 1;
                if (expectedIds != null) {
                    String id = json.readTree(line).path("ceId").asText();
                    assertThat(unseen.remove(id)).as("exported twice or unknown: %s", id).isTrue();
                }
            }
        }
        return new Export(lines, bytes, unseen);
    }

    private Set<String> publish(String prefix, int count, String padding) {
        Set<String> ids = new HashSet<>(count * 2);
        for (int from = 0; from < count; from += CHUNK) {
            List<SyncEvent> chunk = new ArrayList<>(CHUNK);
            for (int i = from; i < Math.min(count, from + CHUNK); i++) {
                chunk.add(new UserUpserted(tenant, prefix + i, "run-big", 1, T0,
                        Map.of("displayName", "User " + i, "notes", padding)));
            }
            EventTopicProbe.publish(bootstrapServers, chunk);
            chunk.forEach(e -> ids.add(CeIds.of(e)));
        }
        return ids;
    }

    /** Rows per second between the tenant's first and last commit: the recorder's own pace. */
    private double consumerRate() throws Exception {
        try (var c = dataSource.getConnection();
                var q = c.prepareStatement("""
                        select count(*) / greatest(extract(epoch from max(recorded_at) - min(recorded_at)), 0.001)
                        from audit.events where tenant_id = ? and object_id not like 'late%'""")) {
            q.setString(1, tenant);
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }
}
