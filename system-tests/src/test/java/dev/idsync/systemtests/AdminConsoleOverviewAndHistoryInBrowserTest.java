package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.Browser;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's Overview and a user's history in a real headless Chromium on the shared stack: the next
 * scheduled run comes from graph-poller's schedule API (the stack's tenants run on request only, and the
 * page says so instead of an estimate), every service shows its consumer lag read from its /q/metrics, and
 * a user's history tells what Entra said, what idsync decided and which administrator changed what, old → new.
 */
@Order(23)
class AdminConsoleOverviewAndHistoryInBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Kafka client metrics are bound at Micrometer's next refresh (60 s after a service started, at worst). */
    private static final Duration METRICS_WAIT = Duration.ofSeconds(90);
    private static final Path SHOTS = Path.of(System.getProperty("idsync.console.screenshots",
            "../admin-console/docs/screenshots"));

    @Test
    void the_overview_shows_the_pollers_schedule_and_each_services_lag_and_a_users_history_who_changed_what()
            throws Exception {
        Instant t0 = Instant.now();
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.CONSOLE_HISTORY);
        tenant.seed(4, 1, 4, 1);
        new SyncRuns(stack, tokens).runToCompletion(tenant.id(), "{}", WAIT);
        String user = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).map(u -> u.path("id").asText()).sorted()
                .findFirst().orElseThrow();
        ApiClient processor = new ApiClient(stack.url(Stack.PROCESSOR), tokens.admin());
        Eventually.noDifferences("user " + user + " stored", () -> processor.get("/api/tenants/" + tenant.id()
                + "/users/" + user).status() == 200 ? List.of() : List.of("not stored yet"), WAIT);
        new ApiClient(stack.url(Stack.WRITER), tokens.writer()).patch("/api/tenants/" + tenant.id() + "/users/" + user
                + "/profile", Map.of("entra", Map.of("jobTitle", "Historian"))).expect(200);
        ApiClient audit = new ApiClient(stack.url(Stack.AUDIT), tokens.reader());
        Eventually.noDifferences("profile update audited", () -> audit.get("/api/audit/events?tenant=" + tenant.id()
                + "&objectId=" + user + "&type=dev.idsync.profile.updated.v1").body().path("items").isEmpty()
                ? List.of("not audited yet") : List.of(), WAIT);

        try (Browser browser = Browser.start()) {
            String console = stack.console().url();
            browser.open(console + "/");
            browser.await(By.id("sign-in"), WAIT);
            set(browser, "username", "admin@contoso.example");
            set(browser, "name", "Ada Admin");
            for (String role : List.of("idsync.reader", "idsync.writer", "idsync.admin", "idsync.operator")) {
                WebElement box = browser.find(By.id("role-" + role.replace('.', '-')));
                if (box.isSelected() != !role.equals("idsync.operator")) {
                    box.click();
                }
            }
            set(browser, "tenants", tenant.id());
            browser.find(By.id("sign-in")).click();

            String row = "tr[data-tenant='" + tenant.id() + "']";
            browser.await(By.cssSelector(row), WAIT);
            assertThat(browser.find(By.cssSelector(row + " td.next-run")).getText())
                    .as("graph-poller's answer, not an estimate").isEqualTo("none (on request only)");
            assertThat(browser.find(By.cssSelector(row + " td.next-full")).getText()).startsWith("none (");
            // The live part is swapped every 3 s: read the services' rows in one script call, not element by element.
            Eventually.noDifferences("each service's consumer lag on the overview", () -> {
                String health = String.valueOf(browser.script(
                        "var t = document.getElementById('health'); return t ? t.innerText : '';"));
                List<String> wrong = new java.util.ArrayList<>();
                for (String service : List.of("graph-poller", "delta-processor", "role-mapper", "profile-writer", "audit-log")) {
                    String line = health.lines().filter(l -> l.startsWith(service)).findFirst().orElse("");
                    if (line.isEmpty() || line.contains("unreadable")) {
                        wrong.add(service + ": " + line);
                    }
                }
                // delta-processor consumed the sync: its consumers' lag, per channel and topic (0 once caught up)
                if (!health.contains("on idsync.graph.observations.v1")) {
                    wrong.add("no consumer of idsync.graph.observations.v1 in:\n" + health);
                }
                return wrong;
            }, METRICS_WAIT);

            browser.open(console + "/tenants/" + tenant.id() + "/users/" + user);
            browser.await(By.id("history"), WAIT);
            WebElement changed = browser.find(By.cssSelector("#history tr.history-change[data-type='profile.updated']"));
            assertThat(changed.getText()).contains("changed by").contains("jobTitle").contains("→ Historian");
            // newest first: Entra's re-read after the update names only what changed; the first sync said everything
            List<WebElement> observed = browser.driver().findElements(
                    By.cssSelector("#history tr.history-observation[data-type='user.upserted']"));
            assertThat(observed.get(0).getText()).contains("Entra said").contains("jobTitle").contains("→ Historian");
            assertThat(observed.get(observed.size() - 1).getText()).contains("displayName");
            List<WebElement> decided = browser.driver().findElements(
                    By.cssSelector("#history tr.history-decision[data-type='user.upserted']"));
            assertThat(decided.get(decided.size() - 1).getText()).contains("idsync decided").contains("displayName");
            browser.screenshot(SHOTS.resolve("user-history.png"));
        }
        Timings.report("admin console overview and history", "%d ms".formatted(Duration.between(t0, Instant.now()).toMillis()));
    }

    private static void set(Browser browser, String id, String value) {
        WebElement field = browser.find(By.id(id));
        field.clear();
        field.sendKeys(value);
    }
}
