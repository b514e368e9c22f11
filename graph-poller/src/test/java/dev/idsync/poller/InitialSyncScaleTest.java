package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.poller.support.DirectoryView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The full size, part of the suite (about 10 s for the run on two cores): the published events
 * of a 10,000-user tenant fold to its snapshot. Writes objects/s to target/scale-report.txt; alone:
 * {@code ./mvnw -pl graph-poller verify -Dtest=InitialSyncScaleTest}.
 */
@QuarkusTest
class InitialSyncScaleTest extends PollerQuarkusTest {

    @Test
    void an_initial_sync_of_10000_users_1000_groups_50000_memberships_folds_to_the_snapshot() throws Exception {
        String tenant = "poller-scale";
        support.createTenant(tenant, 10_000, 1_000, 50_000, 8);

        JsonPath run = support.runToCompletion(tenant, "{}", Duration.ofMinutes(10));

        DirectoryView published = DirectoryView.fold(support.observations(tenant));
        assertThat(published.differencesTo(support.snapshotView(tenant))).isEmpty();
        Map<String, Integer> counts = run.getMap("counts");
        long events = counts.entrySet().stream().filter(e -> e.getKey().contains("."))
                .filter(e -> !e.getKey().startsWith("pages.")).mapToLong(Map.Entry::getValue).sum();
        long objects = 10_000 + 1_000 + 8;
        long millis = run.getLong("durationMillis");
        String report = "initial sync %d users / %d groups / %d memberships: %d pages, %d events in %d ms = %.0f objects/s, %.0f events/s%ncounts %s%n"
                .formatted(10_000, 1_000, published.membershipCount(), run.getLong("pages"), events, millis,
                        objects * 1000.0 / millis, events * 1000.0 / millis, counts);
        Files.writeString(Path.of("target", "scale-report.txt"), report);
        System.out.println(report);
    }
}
