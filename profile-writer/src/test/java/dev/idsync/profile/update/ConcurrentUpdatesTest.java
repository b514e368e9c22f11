package dev.idsync.profile.update;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.api.Roles;
import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import dev.idsync.profile.Entra;
import dev.idsync.profile.LocalRows;
import dev.idsync.profile.UserEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Updates of one user never interleave, in one instance and across instances (PostgreSQL advisory lock). */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentUpdatesTest {

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    private int patch(String writer, String userId, int n) {
        return given().header("Authorization", writer).contentType(ContentType.JSON)
                .body("{\"entra\": {\"jobTitle\": \"Title " + n + "\"}, \"local\": {\"employmentStatus\": \"status "
                        + n + "\"}}")
                .when().patch("/api/tenants/contoso/users/{id}/profile", userId).statusCode();
    }

    @Test
    void twenty_concurrent_updates_of_one_user_are_serialised_and_none_is_lost() throws Exception {
        Entra entra = new Entra(emulatorUrl);
        String userId = entra.createUser("Busy User");
        String writer = TestTokens.bearer(emulatorUrl, Roles.WRITER);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        long started = System.nanoTime();
        try {
            IntStream.range(0, 20).forEach(n -> all.add(CompletableFuture.supplyAsync(() -> patch(writer, userId, n), pool)));
            assertThat(all.stream().map(CompletableFuture::join).toList()).containsOnly(200).hasSize(20);
            // For the README's numbers: 20 serialised Graph round trips (read, PATCH, re-read) plus commits.
            System.out.printf("20 concurrent PATCHes of one user answered in %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }

        List<ProfileUpdated> updates = UserEvents.eventsOf(bootstrap, Topics.PROFILE_CHANGES, "contoso:" + userId,
                        seen -> seen.size() >= 20).stream().map(ProfileUpdated.class::cast).toList();
        assertThat(updates).hasSize(20);
        // Serialised: every update saw the state the previous one confirmed, in Entra and locally. Had two
        // interleaved, one "before" would repeat an older state and the chain would break.
        assertThat(updates.get(0).data().before()).containsEntry("jobTitle", "Developer");
        for (int i = 1; i < updates.size(); i++) {
            assertThat(updates.get(i).data().before()).as("update %d", i).isEqualTo(updates.get(i - 1).data().after());
        }
        // Every request's values were confirmed once: no lost update.
        assertThat(updates.stream().map(u -> u.data().after().get("jobTitle")).distinct()).hasSize(20);
        // Final Entra and local state are those of the last update, and belong together.
        Map<String, Object> last = updates.get(19).data().after();
        String n = ((String) last.get("jobTitle")).substring("Title ".length());
        assertThat(last).containsEntry("local.employmentStatus", "status " + n);
        assertThat(entra.user(userId, "jobTitle").path("jobTitle").asText()).isEqualTo("Title " + n);
        assertThat(LocalRows.of(dataSource, "contoso", userId)).get()
                .satisfies(row -> assertThat(row).containsEntry("employment_status", "status " + n)
                        .containsEntry("version", 20L));
        assertThat(entra.requestsFor(userId, "PATCH")).hasSize(20);
    }

    @Test
    void an_update_waits_while_another_instance_holds_the_users_lock() throws Exception {
        Entra entra = new Entra(emulatorUrl);
        String userId = entra.createUser("Shared User");
        String writer = TestTokens.bearer(emulatorUrl, Roles.WRITER);
        CompletableFuture<Integer> update;
        // Another instance's update in progress: the same advisory lock, taken on its own connection.
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_xact_lock(hashtext(?), hashtext(?))")) {
                lock.setString(1, "contoso");
                lock.setString(2, userId);
                lock.execute();
            }
            update = CompletableFuture.supplyAsync(() -> patch(writer, userId, 1));
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !update.isDone());
            assertThat(entra.requestsFor(userId, null)).as("no Graph call while the other instance holds the lock")
                    .isEmpty();
            other.commit();
        }
        assertThat(update.get()).isEqualTo(200);
        assertThat(entra.requestsFor(userId, "PATCH")).hasSize(1);
        List<SyncEvent> events = UserEvents.eventsOf(bootstrap, Topics.PROFILE_CHANGES, "contoso:" + userId,
                seen -> !seen.isEmpty());
        assertThat(events).hasSize(1);
    }
}
