package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.PoisonRecords;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every metric that deploy/k8s/components/monitoring's Grafana dashboard and PrometheusRule name is
 * exported by a running service: after a sync, a refused profile update and one poison record on the shared stack, the
 * {@code /q/metrics} of the five services together carry each of them — the Kafka clients' own metrics
 * (events per topic, consumer lag) included. A dashboard panel or alert on a metric nobody exports would
 * stay silently empty.
 */
@Order(21)
class DashboardMetricsAreExportedTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:idsync|kafka)_[a-z0-9_]+)\\b");
    private static final Duration SETTLE = Duration.ofMinutes(1);
    /** Kafka client metrics appear at the binders' next refresh (Quarkus' SmallRye binding: 60 s). */
    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(90);

    @Test
    void every_metric_the_dashboard_and_the_alerts_name_is_exported_by_a_service_after_a_sync() throws Exception {
        Set<String> named = namedMetrics();
        assertThat(named).contains("idsync_poller_last_success_seconds", "kafka_consumer_fetch_manager_records_lag",
                "idsync_dead_letters_total");

        Stack stack = Stack.get();
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.METRICS);
        tenant.seed(30, 4, 40, 1);
        new SyncRuns(stack, new Tokens(stack)).runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("sync of " + tenant.id(), () -> store.read().differencesTo(entra, 20), SETTLE);
        // a profile update refused (a stale If-Match: 412) after profile-writer read the user from Graph
        String user = entra.users().keySet().iterator().next();
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.url(Stack.WRITER) + "/api/tenants/" + tenant.id() + "/users/" + user + "/profile"))
                .header("Authorization", new Tokens(stack).writer()) // "Bearer …"
                .header("Content-Type", "application/json")
                .header("If-Match", "\"stale\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"entra\":{\"jobTitle\":\"Metrics\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(412);
        // one unreadable record on the topic delta-processor consumes: a dead letter, as in production
        UserUpserted event = new UserUpserted(tenant.id(), "metrics-poison", "metrics-run", 1, Instant.now(), Map.of());
        PoisonRecords.send(stack.bootstrapServers(),
                List.of(PoisonRecords.notJson(Topics.GRAPH_OBSERVATIONS, tenant.id(), event, "metrics-" + tenant.id())));

        Instant t0 = Instant.now();
        Set<String> missing = new TreeSet<>(named);
        Eventually.noDifferences("metrics of the dashboard and the rules on /q/metrics", () -> {
            missing.retainAll(notExported(stack, missing));
            return missing.stream().map(m -> m + " is exported by no service").toList();
        }, SCRAPE_WAIT);
        Timings.report("dashboard metrics", "%d metric names of the dashboard and the rules all exported %d ms after the sync"
                .formatted(named.size(), Duration.between(t0, Instant.now()).toMillis()));
    }

    /** The metric names in the dashboard's queries and the rules' expressions. */
    private static Set<String> namedMetrics() throws IOException {
        Path monitoring = repositoryRoot().resolve("deploy/k8s/components/monitoring");
        JsonNode dashboard = new ObjectMapper().readTree(monitoring.resolve("idsync-dashboard.json").toFile());
        StringBuilder queries = new StringBuilder();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.append(t.path("expr").asText()).append('\n')));
        for (String line : Files.readAllLines(monitoring.resolve("prometheusrule.yaml"))) {
            if (!line.strip().startsWith("#") && !line.contains("description:") && !line.contains("summary:")) {
                queries.append(line).append('\n');
            }
        }
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(queries);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> notExported(Stack stack, Set<String> names) {
        String all = Stack.SERVICES.stream().map(s -> scrape(stack.url(s))).collect(Collectors.joining("\n"));
        Set<String> exported = all.lines().filter(l -> !l.startsWith("#"))
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        return names.stream().filter(n -> !exported.contains(n)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String scrape(String baseUrl) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/k8s/components/monitoring"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/k8s/components/monitoring above " + Path.of("").toAbsolutePath());
    }
}
