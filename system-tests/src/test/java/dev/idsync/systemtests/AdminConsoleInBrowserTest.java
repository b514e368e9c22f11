package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.Browser;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.RoleMapperRoles;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The admin console in a real headless Chromium against the running stack: an admin signs in at the
 * emulator (authorization code flow), runs a dry run and reads its plan, starts a delta run and watches it
 * complete without reloading, approves a held mass deletion, edits a profile (and sees Entra's 503 as the
 * error with nothing changed), grants a manual role, simulates a role-mapping change (who gains the role through
 * which group), saves exactly that change and finds it in the change history, and reads the audit with its
 * verification; a reader sees
 * no admin buttons, and a forged admin POST from the reader's session gets the API's 403. Each page is
 * saved as a screenshot for admin-console/README.md. One console and one browser for the whole class.
 */
@Order(22)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminConsoleInBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SHOTS = Path.of(System.getProperty("idsync.console.screenshots",
            "../admin-console/docs/screenshots"));

    private Stack stack;
    private EmulatorTenant tenant;
    private SyncRuns runs;
    private ApiClient processor;
    private String console;
    private Browser browser;
    private Instant t0;

    @BeforeAll
    void stackConsoleAndAnAdminSignedIn() {
        t0 = Instant.now();
        stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        runs = new SyncRuns(stack, tokens);
        tenant = EmulatorTenant.create(stack, ScenarioTenant.CONSOLE);
        tenant.seed(60, 6, 90, 1);
        processor = new ApiClient(stack.url(Stack.PROCESSOR), tokens.admin());
        console = stack.console().url();
        browser = Browser.start();
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.close();
        }
        Timings.report("admin console", "browser scenarios in %d ms".formatted(Duration.between(t0, Instant.now()).toMillis()));
    }

    @Test
    @Order(1)
    void an_admin_signs_in_at_the_issuer_and_the_overview_shows_the_tenant_and_every_service_up() {
        browser.open(console + "/");
        // Not signed in: the console sends the browser to the issuer's sign-in page (the emulator's).
        browser.await(By.id("sign-in"), WAIT);
        assertThat(browser.driver().getCurrentUrl()).contains("/oauth2/v2.0/authorize").contains("code_challenge=");
        signIn("admin@contoso.example", "Ada Admin", List.of("idsync.reader", "idsync.writer", "idsync.admin"), true);
        WebElement row = browser.await(By.cssSelector("tr[data-tenant='" + tenant.id() + "']"), WAIT);
        assertThat(row.getText()).contains(ScenarioTenant.CONSOLE.displayName());
        assertThat(browser.find(By.id("viewer-name")).getText()).isEqualTo("Ada Admin");
        browser.await(By.id("health"), WAIT);
        for (String service : List.of("graph-poller", "delta-processor", "role-mapper", "profile-writer", "audit-log")) {
            assertThat(browser.find(By.xpath("//table[@id='health']//tr[th='" + service + "']")).getText()).contains("UP");
        }
    }

    @Test
    @Order(2)
    void a_delta_run_started_with_the_button_shows_progress_and_reaches_completed_without_a_reload() {
        // Slow Graph's first users page so the run is seen running; the page must follow it by itself.
        String slow = tenant.addFault(Map.of("path", "/users/delta", "type", "LATENCY", "latencyMillis", 2500, "count", 1));
        try {
            browser.open(console + "/tenants/" + tenant.id() + "/runs");
            browser.find(By.id("run-delta")).click();
            WebElement progress = browser.await(By.id("run-progress"), WAIT);
            assertThat(progress.getAttribute("aria-label")).startsWith("Progress of run");
            String runId = browser.find(By.cssSelector("#running h2")).getText().replaceAll(".* run ", "");
            browser.screenshot(SHOTS.resolve("runs-running.png"));
            Object page = browser.script("return window.performance.timeOrigin;");
            browser.await(By.cssSelector("tr[data-run='" + runId + "'][data-state='completed']"), WAIT);
            assertThat(browser.script("return window.performance.timeOrigin;")).as("no reload").isEqualTo(page);
            assertThat(browser.present(By.id("running"))).isFalse();
            browser.screenshot(SHOTS.resolve("runs.png"));
        } finally {
            tenant.removeFault(slow);
        }
        Eventually.noDifferences("store after the first run", () -> {
            long active = processor.get("/api/tenants/" + tenant.id() + "/sync-status").expect(200).body()
                    .path("users").path("active").asLong();
            return active > 0 ? List.of() : List.of("no active users yet");
        }, WAIT);
    }

    @Test
    @Order(3)
    void a_dry_run_started_in_the_console_shows_its_plan_with_old_and_new_values() {
        List<String> users = userIds();
        SyncRuns.awaitNextSecond();
        tenant.mutate(List.of(Map.of("op", "updateUser", "id", users.get(0), "properties", Map.of("jobTitle", "Dry Run Title"))));
        browser.open(console + "/tenants/" + tenant.id() + "/runs");
        browser.find(By.id("run-dry")).click();
        browser.awaitText(By.id("plan-state"), "complete", WAIT);
        WebElement update = browser.await(By.cssSelector("#plan-items tr[data-action='update']"), WAIT);
        assertThat(update.getText()).contains("Dry Run Title").contains("→");
        browser.screenshot(SHOTS.resolve("dry-run.png"));
        new org.openqa.selenium.support.ui.Select(browser.find(By.id("action"))).selectByValue("update");
        browser.find(By.cssSelector("form[aria-label='Filter the plan'] button")).click();
        browser.await(By.cssSelector("#plan-items tr[data-action='update']"), WAIT);
        assertThat(browser.present(By.cssSelector("#plan-items tr[data-action='add']"))).isFalse();
        // A dry run changes nothing: the next real run applies the update (and keeps the store honest for the rest).
        runs.runToCompletion(tenant.id(), "{}", WAIT);
    }

    @Test
    @Order(4)
    void an_admin_approves_a_held_mass_deletion_and_the_users_go_to_pending_deletion() {
        List<String> users = userIds();
        int n = users.size() * 15 / 100; // above the default threshold of 10 %
        List<String> deleted = users.subList(users.size() - n, users.size());
        SyncRuns.awaitNextSecond();
        tenant.mutate(deleted.stream().map(id -> Map.<String, Object>of("op", "softDeleteUser", "id", id)).toList());
        runs.runToCompletion(tenant.id(), "{}", WAIT);
        browser.open(console + "/tenants/" + tenant.id() + "/deletions");
        browser.awaitText(By.id("held-count"), String.valueOf(n), WAIT);
        browser.screenshot(SHOTS.resolve("pending-deletions.png"));
        browser.find(By.cssSelector("section.held-run button.danger")).click();
        browser.awaitText(By.id("decision-done"), "approved: " + n, WAIT);
        browser.awaitText(By.id("decisions"), "approved", WAIT);
        browser.open(console + "/");
        browser.awaitText(By.cssSelector("tr[data-tenant='" + tenant.id() + "'] td.pending"), String.valueOf(n), WAIT);
        browser.screenshot(SHOTS.resolve("overview.png"));
    }

    @Test
    @Order(5)
    void a_profile_edit_is_saved_and_an_injected_graph_503_is_shown_as_the_error_with_nothing_changed() {
        String user = userIds().get(1);
        browser.open(console + "/tenants/" + tenant.id() + "/users/" + user);
        setField("f-jobTitle", "Console Title");
        browser.find(By.id("save-profile")).click();
        browser.awaitText(By.id("saved"), "profile", WAIT);
        assertThat(browser.find(By.id("f-jobTitle")).getAttribute("value")).isEqualTo("Console Title");
        assertThat(entraUser(user).path("jobTitle").asText()).isEqualTo("Console Title");

        String unavailable = tenant.addFault(Map.of("path", "/users/" + user, "method", "PATCH", "type", "UNAVAILABLE",
                "count", 20));
        try {
            setField("f-jobTitle", "Never Saved");
            browser.find(By.id("save-profile")).click();
            WebElement error = browser.await(By.id("profile-error"), WAIT);
            assertThat(error.getText()).contains("Entra unavailable").contains("503").contains("Nothing was saved");
            browser.screenshot(SHOTS.resolve("profile-error.png"));
        } finally {
            tenant.removeFault(unavailable);
        }
        assertThat(entraUser(user).path("jobTitle").asText()).isEqualTo("Console Title");
        browser.open(console + "/tenants/" + tenant.id() + "/users/" + user);
        assertThat(browser.find(By.id("f-jobTitle")).getAttribute("value")).isEqualTo("Console Title");
    }

    @Test
    @Order(6)
    void a_writer_grants_a_manual_role_and_invalid_role_mappings_are_refused_field_by_field() {
        String user = userIds().get(2);
        browser.open(console + "/tenants/" + tenant.id() + "/users/" + user);
        browser.find(By.id("grant-role")).sendKeys("HR");
        browser.find(By.id("grant")).click();
        browser.awaitText(By.id("saved"), "role", WAIT);
        WebElement hr = browser.await(By.cssSelector("#roles tr[data-role='HR']"), WAIT);
        assertThat(hr.getText()).contains("manual");
        browser.screenshot(SHOTS.resolve("user.png"));
        browser.open(console + "/tenants/" + tenant.id() + "/users?search=");
        browser.await(By.cssSelector("#users tr[data-user]"), WAIT);
        browser.screenshot(SHOTS.resolve("users.png"));
        browser.open(console + "/tenants/" + tenant.id() + "/role-mappings");
        String pattern = browser.await(By.id("m-pattern"), WAIT).getAttribute("value");
        assertThat(pattern).isEqualTo("App-{tenant}-{role}");
        // Invalid mappings: role-mapper's 422 names each field, shown next to it; nothing is stored.
        setField("m-pattern", "App-{tenant}");
        setField("m-groups", "not-a-guid = Nope");
        browser.find(By.id("simulate-mappings")).click();
        browser.await(By.id("mappings-error"), WAIT);
        assertThat(browser.find(By.id("err-pattern")).getText()).isNotBlank();
        assertThat(browser.find(By.id("err-groups")).getText()).contains("not-a-guid");
        assertThat(browser.find(By.id("m-pattern")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.present(By.id("save-mappings"))).as("nothing simulated, nothing to save").isFalse();
        browser.open(console + "/tenants/" + tenant.id() + "/role-mappings");
        assertThat(browser.await(By.id("m-pattern"), WAIT).getAttribute("value")).isEqualTo(pattern);
    }

    @Test
    @Order(7)
    void a_mapping_change_is_simulated_then_saved_and_the_groups_members_hold_the_role_with_the_admin_in_the_history() {
        // A group outside the App-<tenant>-<role> pattern whose active members role-mapper has read.
        JsonNode snapshot = tenant.snapshot();
        List<String> active = userIds();
        JsonNode group = StreamSupport.stream(snapshot.path("groups").spliterator(), false)
                .filter(g -> !g.path("displayName").asText().startsWith("App-"))
                .max(java.util.Comparator.comparingLong(g -> StreamSupport.stream(g.path("members").spliterator(), false)
                        .filter(m -> active.contains(m.asText())).count()))
                .orElseThrow();
        String groupId = group.path("id").asText();
        List<String> members = StreamSupport.stream(group.path("members").spliterator(), false).map(JsonNode::asText)
                .filter(active::contains).toList();
        assertThat(members).as("members of " + group.path("displayName").asText()).isNotEmpty();

        browser.open(console + "/tenants/" + tenant.id() + "/role-mappings");
        assertThat(new org.openqa.selenium.support.ui.Select(browser.await(By.id("m-nested"), WAIT))
                .getFirstSelectedOption().getAttribute("value")).isEqualTo("transitive");
        setField("m-groups", browser.find(By.id("m-groups")).getAttribute("value") + "\n" + groupId + " = Accounting:read");
        browser.find(By.id("simulate-mappings")).click();
        browser.await(By.id("simulation"), WAIT);
        assertThat(Integer.parseInt(browser.find(By.id("sim-gained")).getText())).isPositive();
        List<WebElement> gains = browser.driver().findElements(By.cssSelector("#simulation-changes tr[data-change='gain']"));
        WebElement gain = gains.stream().filter(r -> members.contains(r.getAttribute("data-user"))).findFirst().orElseThrow(
                () -> new AssertionError("no member of " + groupId + " among the gains: " + browser.find(By.id("simulation")).getText()));
        String user = gain.getAttribute("data-user");
        assertThat(gain.getText()).contains(user).contains("Accounting").contains("gains").contains(groupId);
        browser.screenshot(SHOTS.resolve("role-mappings.png"));
        RoleMapperRoles roles = new RoleMapperRoles(stack, new Tokens(stack), tenant.id());
        assertThat(RoleMapperRoles.effective(roles.answer(user))).as("simulated, not saved").doesNotContain(
                "Accounting|federated|" + groupId);

        // Edited after simulating: saving would not do what was shown, so role-mapper refuses it (412).
        new org.openqa.selenium.support.ui.Select(browser.find(By.id("m-nested"))).selectByValue("direct");
        browser.find(By.id("save-mappings")).click();
        assertThat(browser.await(By.id("mappings-outdated"), WAIT).getText()).contains("simulate again")
                .contains("Nothing was saved");
        assertThat(RoleMapperRoles.effective(roles.answer(user))).as("412: nothing saved").doesNotContain(
                "Accounting|federated|" + groupId);

        new org.openqa.selenium.support.ui.Select(browser.find(By.id("m-nested"))).selectByValue("transitive");
        browser.find(By.id("simulate-mappings")).click();
        browser.await(By.cssSelector("#simulation-changes tr[data-user='" + user + "'][data-change='gain']"), WAIT);
        browser.find(By.id("save-mappings")).click();
        browser.awaitText(By.id("mappings-saved"), "Saved", WAIT);
        assertThat(RoleMapperRoles.effective(roles.answer(user))).contains("Accounting|federated|" + groupId);
        WebElement last = browser.find(By.cssSelector("#mapping-history tbody tr"));
        assertThat(last.getText()).contains("admin@contoso.example");
        assertThat(browser.find(By.id("m-groups")).getAttribute("value")).contains(groupId + " = Accounting:read");
        browser.open(console + "/tenants/" + tenant.id() + "/users/" + user);
        assertThat(browser.await(By.cssSelector("#roles tr[data-role='Accounting']"), WAIT).getText()).contains("federated");
    }

    @Test
    @Order(8)
    void the_audit_page_lists_the_tenants_events_and_the_chain_verifies_intact() {
        browser.open(console + "/tenants/" + tenant.id() + "/audit");
        browser.awaitText(By.id("verify-result"), "Intact", WAIT);
        assertThat(browser.find(By.id("audit-events")).getText()).contains("syncrun.started");
        setField("a-type", "dev.idsync.profile.updated.v1");
        browser.find(By.cssSelector("form[aria-label='Filter the audit'] button")).click();
        browser.awaitText(By.id("audit-events"), "dev.idsync.profile.updated.v1", WAIT);
        assertThat(browser.find(By.id("audit-events")).getText()).doesNotContain("syncrun.started");
        browser.awaitText(By.id("verify-result"), "Intact", WAIT);
        browser.screenshot(SHOTS.resolve("audit.png"));
    }

    @Test
    @Order(9)
    void a_reader_sees_no_admin_buttons_and_a_forged_admin_post_gets_403() {
        browser.driver().manage().deleteAllCookies();
        browser.open(console + "/tenants/" + tenant.id() + "/runs");
        browser.await(By.id("sign-in"), WAIT);
        signIn("reader@contoso.example", "Rita Reader", List.of("idsync.reader"), true);
        browser.await(By.id("run-history"), WAIT);
        assertThat(browser.present(By.id("run-delta"))).isFalse();
        assertThat(browser.present(By.id("run-dry"))).isFalse();
        browser.screenshot(SHOTS.resolve("runs-reader.png"));
        browser.open(console + "/tenants/" + tenant.id() + "/users/" + userIds().get(1));
        browser.await(By.id("f-jobTitle"), WAIT);
        assertThat(browser.present(By.id("save-profile"))).isFalse();
        assertThat(browser.present(By.id("grant"))).isFalse();
        assertThat(browser.fetchStatus("POST", "/tenants/" + tenant.id() + "/deletions/approve", "runId=")).isEqualTo(403);
        assertThat(browser.fetchStatus("POST", "/tenants/" + tenant.id() + "/runs", "mode=full")).isEqualTo(403);
    }

    private void signIn(String username, String name, List<String> roles, boolean scopedToTenant) {
        setField("username", username);
        setField("name", name);
        for (String role : List.of("idsync.reader", "idsync.writer", "idsync.admin", "idsync.operator")) {
            WebElement box = browser.find(By.id("role-" + role.replace('.', '-')));
            if (box.isSelected() != roles.contains(role)) {
                box.click();
            }
        }
        setField("tenants", scopedToTenant ? tenant.id() : "");
        browser.find(By.id("sign-in")).click();
    }

    private void setField(String id, String value) {
        WebElement field = browser.find(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    /** The tenant's users in Entra that are not deleted, in a stable order. */
    private List<String> userIds() {
        return StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean())
                .map(u -> u.path("id").asText()).sorted().toList();
    }

    private JsonNode entraUser(String id) {
        return StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> u.path("id").asText().equals(id)).findFirst().orElseThrow();
    }
}
