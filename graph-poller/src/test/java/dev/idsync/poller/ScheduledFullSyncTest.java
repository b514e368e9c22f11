package dev.idsync.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.UserRemoved;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.delta.DeltaPage;
import dev.idsync.graph.delta.DeltaRequestOptions;
import dev.idsync.poller.graph.TenantGraphs;
import dev.idsync.poller.run.FullSyncSchedule;
import dev.idsync.poller.run.RunStarter;
import dev.idsync.poller.run.SyncRunLedger;
import dev.idsync.poller.run.SyncRunRecord;
import dev.idsync.poller.schedule.FullSyncScheduler;
import dev.idsync.poller.support.DirectoryView;
import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The scheduled full sync (issue 16): due by the durable schedule, it runs by itself, sweeps what the delta
 * runs missed, never overlaps another run of the tenant, waits for a busy tenant instead of being lost, and
 * of several schedulers asking at once exactly one starts it.
 */
@QuarkusTest
@TestProfile(SchedulingOnProfile.class)
class ScheduledFullSyncTest extends PollerQuarkusTest {

    private static final List<String> RESOURCES = List.of("users", "groups", "directoryRoles");

    @Inject
    SyncRunLedger ledger;
    @Inject
    FullSyncScheduler fullSyncs;
    @Inject
    FullSyncSchedule schedule;
    @Inject
    TenantGraphs graphs;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void a_due_full_sync_runs_by_itself_and_sweeps_a_deletion_the_delta_runs_missed_without_overlapping_them()
            throws Exception {
        String tenant = "poller-fullsync";
        support.createTenant(tenant, 200, 20, 300, 2);
        Instant created = Instant.now();
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.recent(tenant, 500).stream()
                .anyMatch(r -> "completed".equals(r.state()) && r.startedAt().isAfter(created)));

        // Drift: a user is deleted and the delta page that says so never reaches Kafka (as if lost). Done while
        // holding the tenant's run locks, like a run of another instance, so no scheduled run sees it.
        JsonNode snapshot = support.snapshot(tenant);
        String victim = userWithoutMemberships(snapshot);
        Instant drifted;
        try (Connection other = holdRunLocks(tenant)) {
            support.control().post("/_emulator/tenants/" + tenant + "/mutations",
                    "{\"operations\":[{\"op\":\"hardDeleteUser\",\"id\":\"" + victim + "\"}]}");
            List<DeltaPage> dropped = moveUsersTokenPastTheNextDelta(tenant);
            assertThat(dropped).as("the dropped delta said the user is gone").anySatisfy(page ->
                    assertThat(page.items()).anyMatch(i -> victim.equals(i.id()) && i.removed().isPresent()));
            drifted = Instant.now();
            release(other);
        }

        // A delta run after the drift does not know; the next scheduled full run does.
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.recent(tenant, 500).stream()
                .anyMatch(r -> r.mode() == SyncMode.DELTA && "completed".equals(r.state()) && r.startedAt().isAfter(drifted)));
        SyncRunRecord full = await().atMost(Duration.ofSeconds(60)).until(() -> ledger.recent(tenant, 500).stream()
                        .filter(r -> r.mode() == SyncMode.FULL && "schedule".equals(r.trigger()))
                        .filter(r -> "completed".equals(r.state()) && r.startedAt().isAfter(drifted)).findFirst(),
                Optional::isPresent).orElseThrow();

        List<SyncEvent> observations = support.observations(tenant);
        assertThat(observations).noneMatch(e -> e instanceof UserRemoved && victim.equals(e.objectId()));
        assertThat(DirectoryView.fold(observations).users()).as("without a sweep the deletion stays missed")
                .containsKey(victim);
        SyncRunCompleted completed = observations.stream().filter(e -> e instanceof SyncRunCompleted)
                .map(SyncRunCompleted.class::cast).filter(e -> full.runId().equals(e.runId())).findFirst().orElseThrow();
        assertThat(completed.data().initialRounds()).containsExactlyElementsOf(RESOURCES);
        assertThat(completed.epoch()).isEqualTo(full.epoch());
        assertThat(observations.stream().filter(e -> e.epoch() < full.epoch())).isNotEmpty();
        // Folded up to the full run's completion, with the sweep a consumer does there: Graph's state again.
        List<SyncEvent> throughFull = observations.subList(0, observations.indexOf(completed) + 1);
        DirectoryView swept = DirectoryView.foldSweeping(throughFull);
        assertThat(swept.users()).doesNotContainKey(victim);
        assertThat(swept.differencesTo(support.snapshotView(tenant))).isEmpty();

        assertRunsNeverOverlapped(tenant, observations);
        assertThat(schedule.status(tenant, fullSyncs.policyOf(tenant).orElseThrow()).orElseThrow().lastFullSyncAt())
                .isPresent();
    }

    @Test
    void a_due_full_sync_waits_for_a_busy_tenant_then_exactly_one_of_several_schedulers_runs_it_once() throws Exception {
        String tenant = "poller-fullsync-race";
        support.createTenant(tenant, 50, 5, 60, 1);
        // A delta run of this tenant on another instance holds its locks.
        try (Connection other = holdRunLocks(tenant)) {
            makeFullSyncDue(tenant);

            List<Optional<RunStarter.Outcome>> whileBusy = fromTwoSchedulersAtOnce(() -> fullSyncs.startIfDue(tenant));
            assertThat(whileBusy).allSatisfy(o -> assertThat(o).containsInstanceOf(RunStarter.Busy.class));
            Thread.sleep(1500); // three periodic checks, each finding the tenant busy
            assertThat(fullRuns(tenant)).isEmpty();
            release(other);
        }

        // Not lost: it starts once the tenant is free; meanwhile two more schedulers keep asking.
        List<Optional<RunStarter.Outcome>> asked = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            asked.addAll(fromTwoSchedulersAtOnce(() -> fullSyncs.startIfDue(tenant)));
            return fullRuns(tenant).stream().anyMatch(r -> !r.isRunning());
        });
        List<SyncRunRecord> runs = fullRuns(tenant);
        assertThat(runs).hasSize(1);
        SyncRunRecord run = runs.getFirst();
        assertThat(run.state()).isEqualTo("completed");
        assertThat(run.trigger()).isEqualTo("schedule");
        assertThat(run.resources()).containsExactlyElementsOf(RESOURCES);
        assertThat(asked.stream().filter(o -> o.isPresent() && o.get() instanceof RunStarter.Started).count())
                .as("the ones asking here started it at most once (else the periodic check did)").isLessThanOrEqualTo(1);

        // The schedule is in the database: asking again, as every instance and a restarted one would, starts
        // nothing until an interval after this run's start.
        var status = schedule.status(tenant, fullSyncs.policyOf(tenant).orElseThrow()).orElseThrow();
        assertThat(status.lastFullRunId()).contains(run.runId());
        assertThat(status.lastFullSyncAt()).contains(run.startedAt());
        assertThat(status.nextDueAt()).isEqualTo(run.startedAt().plus(Duration.ofHours(1)));
        assertThat(fromTwoSchedulersAtOnce(() -> fullSyncs.startIfDue(tenant))).allSatisfy(o -> assertThat(o).isEmpty());
        Thread.sleep(1000);
        assertThat(fullRuns(tenant)).hasSize(1);
    }

    private List<SyncRunRecord> fullRuns(String tenant) {
        return ledger.recent(tenant, 500).stream().filter(r -> r.mode() == SyncMode.FULL).toList();
    }

    /** Runs of the tenant, by the ledger and by its partition of the observation topic, one after the other. */
    private void assertRunsNeverOverlapped(String tenant, List<SyncEvent> observations) {
        List<SyncRunRecord> runs = ledger.recent(tenant, 500).stream().filter(r -> !r.isRunning())
                .sorted(Comparator.comparing(SyncRunRecord::startedAt)).toList();
        assertThat(runs.stream().map(SyncRunRecord::mode)).contains(SyncMode.DELTA, SyncMode.FULL);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).startedAt()).as("run %s starts after %s ended", runs.get(i).runId(),
                    runs.get(i - 1).runId()).isAfterOrEqualTo(runs.get(i - 1).finishedAt());
        }
        String open = null;
        for (SyncEvent e : observations) {
            if (e instanceof SyncRunStarted) {
                assertThat(open).as("run %s started while %s was open", e.runId(), open).isNull();
                open = e.runId();
            } else {
                assertThat(e.runId()).as("%s inside run %s", e.ceType(), open).isEqualTo(open);
                if (e instanceof SyncRunCompleted || e instanceof SyncRunFailed) {
                    open = null;
                }
            }
        }
    }

    /** Takes the tenant's run locks on a session of its own, as a run of another poller instance holds them. */
    private Connection holdRunLocks(String tenant) throws SQLException {
        Connection other = dataSource.getConnection();
        for (String resource : RESOURCES) {
            try (PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "idsync-poller:" + tenant + ":" + resource);
                lock.execute();
            }
        }
        return other;
    }

    private static void release(Connection other) throws SQLException {
        try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock_all()")) {
            unlock.execute();
        }
    }

    /**
     * Fetches the users delta from the stored token up to its new deltaLink and stores that link, publishing
     * nothing: the pages in between are lost to every consumer.
     */
    private List<DeltaPage> moveUsersTokenPastTheNextDelta(String tenant) throws SQLException {
        String link;
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "select delta_link from delta_state where tenant_id = ? and resource = 'users' and checkpoint_link is null")) {
            q.setString(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("a users token and no round in progress").isTrue();
                link = rs.getString(1);
            }
        }
        GraphAccess graph = graphs.of(tenant);
        List<DeltaPage> pages = new ArrayList<>();
        URI url = URI.create(link);
        while (true) {
            DeltaPage page = (DeltaPage) graph.deltaPages().fetch(url, new DeltaRequestOptions(200, false));
            pages.add(page);
            if (page.nextLink().isEmpty()) {
                url = page.deltaLink().orElseThrow();
                break;
            }
            url = page.nextLink().get();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "update delta_state set delta_link = ? where tenant_id = ? and resource = 'users'")) {
            q.setString(1, url.toString());
            q.setString(2, tenant);
            assertThat(q.executeUpdate()).isEqualTo(1);
        }
        return pages;
    }

    /** The schedule as it would be after an interval without a full sync. */
    private void makeFullSyncDue(String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement("""
                insert into full_sync_schedule (tenant_id, baseline_at) values (?, now() - interval '2 hours')
                on conflict (tenant_id) do update set baseline_at = excluded.baseline_at, last_full_sync_at = null,
                    last_full_run_id = null, last_attempt_at = null, last_attempt_run_id = null""")) {
            q.setString(1, tenant);
            q.executeUpdate();
        }
    }

    private static String userWithoutMemberships(JsonNode snapshot) {
        Set<String> members = new HashSet<>();
        snapshot.path("groups").forEach(g -> g.path("members").forEach(m -> members.add(m.asText())));
        snapshot.path("directoryRoles").forEach(r -> r.path("members").forEach(m -> members.add(m.asText())));
        for (JsonNode user : snapshot.path("users")) {
            if (!members.contains(user.path("id").asText())) {
                return user.path("id").asText();
            }
        }
        throw new AssertionError("every user of the seeded tenant is a member of something");
    }

    /** Two schedulers (two poller instances) asking at the same moment, each on its own thread and session. */
    private static <T> List<T> fromTwoSchedulersAtOnce(Callable<T> ask) throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<T>> answers = two.invokeAll(List.of(ask, ask));
            List<T> out = new ArrayList<>();
            for (Future<T> answer : answers) {
                out.add(answer.get());
            }
            return out;
        } finally {
            two.shutdown();
        }
    }
}
