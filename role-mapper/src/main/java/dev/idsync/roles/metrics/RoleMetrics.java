package dev.idsync.roles.metrics;

import dev.idsync.roles.assignment.AssignmentChange;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * role-mapper's Prometheus metrics: assignments by role (a gauge refreshed from the store at most every
 * few seconds, after changes), grants and revokes (counters, and per sync run as a distribution), and
 * login-syncs with their latency.
 */
@ApplicationScoped
public class RoleMetrics {

    private static final Logger LOG = Logger.getLogger(RoleMetrics.class);
    private static final long REFRESH_NANOS = Duration.ofSeconds(2).toNanos();

    private final MeterRegistry registry;
    private final AgroalDataSource dataSource;
    private final MultiGauge assignments;
    private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - REFRESH_NANOS);
    private final AtomicBoolean dirty = new AtomicBoolean(true);

    RoleMetrics(MeterRegistry registry, AgroalDataSource dataSource) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.assignments = MultiGauge.builder("idsync.roles.assignments")
                .description("Current role assignments by tenant, role and source").register(registry);
    }

    /** Counts one committed batch of changes; {@code runs} breaks them down by the sync run that caused them. */
    public void changed(List<AssignmentChange> changes) {
        Map<String, long[]> perRun = new HashMap<>();
        for (AssignmentChange c : changes) {
            String kind = c.granted() ? "granted" : "revoked";
            registry.counter("idsync.roles.changes", "tenant", c.user().tenantId(), "kind", kind,
                    "source", c.assignment().source()).increment();
            long[] counts = perRun.computeIfAbsent(c.user().tenantId() + "\u0000" + c.cause().runId(), k -> new long[2]);
            counts[c.granted() ? 0 : 1]++;
        }
        perRun.forEach((key, counts) -> {
            String tenant = key.substring(0, key.indexOf('\u0000'));
            DistributionSummary.builder("idsync.roles.run.changes").description("Grants and revokes per sync run and batch")
                    .tags("tenant", tenant, "kind", "granted").register(registry).record(counts[0]);
            DistributionSummary.builder("idsync.roles.run.changes").description("Grants and revokes per sync run and batch")
                    .tags("tenant", tenant, "kind", "revoked").register(registry).record(counts[1]);
        });
        if (!changes.isEmpty()) {
            dirty.set(true);
            refreshAssignments(false);
        }
    }

    public void loginSync(String tenant, String outcome, long nanos) {
        Timer.builder("idsync.roles.login.sync").description("Login-time group syncs and their latency")
                .tags("tenant", tenant, "outcome", outcome).publishPercentiles(0.5, 0.95, 0.99)
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /** Catches up on changes a throttled refresh skipped (and fills the gauge after start). */
    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshIfDirty() {
        if (dirty.get()) {
            refreshAssignments(true);
        }
    }

    /** Re-reads the assignment counts (throttled unless forced); a failure only costs a stale gauge. */
    public void refreshAssignments(boolean force) {
        long now = System.nanoTime();
        long last = lastRefresh.get();
        if (!force && (now - last < REFRESH_NANOS || !lastRefresh.compareAndSet(last, now))) {
            return;
        }
        lastRefresh.set(now);
        dirty.set(false);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select tenant_id, role, source, count(distinct user_id) from role_assignments
                        group by tenant_id, role, source""");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rows.add(MultiGauge.Row.of(Tags.of("tenant", rs.getString(1), "role", rs.getString(2),
                        "source", rs.getString(3)), rs.getLong(4)));
            }
        } catch (SQLException e) {
            LOG.warnf("assignment gauge not refreshed: %s", e.getMessage());
            dirty.set(true);
            return;
        }
        assignments.register(rows, true);
    }
}
