package dev.idsync.audit.retention;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Every {@code audit.retention.every} (default 1h, {@code off} to disable): for each tenant, create next
 * month's partition ahead of time (so writers rarely do DDL) and drop the partitions older than the
 * tenant's retention. Several instances may run it at once: both steps hold the tenant's chain head.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final AgroalDataSource dataSource;
    private final PartitionDropper dropper;
    private final RetentionConfig config;

    RetentionJob(AgroalDataSource dataSource, PartitionDropper dropper, RetentionConfig config) {
        this.dataSource = dataSource;
        this.dropper = dropper;
        this.config = config;
    }

    @Scheduled(every = "${audit.retention.every}", delayed = "${audit.retention.delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        enforce(Instant.now());
    }

    /** One round for every tenant as of {@code now}. */
    public void enforce(Instant now) {
        List<String> tenants;
        try {
            tenants = tenants();
        } catch (SQLException e) {
            LOG.errorf(e, "retention: cannot list tenants");
            return;
        }
        for (String tenant : tenants) {
            MDC.put("tenant", tenant);
            try {
                createNextMonth(tenant, now);
                dropper.dropBefore(tenant, now.minus(config.daysFor(tenant), ChronoUnit.DAYS));
            } catch (SQLException | RuntimeException e) {
                LOG.errorf(e, "retention for tenant %s failed; retried next run", tenant);
            } finally {
                MDC.remove("tenant");
            }
        }
    }

    private List<String> tenants() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select tenant_id from chain_heads order by tenant_id");
                ResultSet rs = q.executeQuery()) {
            List<String> result = new ArrayList<>();
            while (rs.next()) {
                result.add(rs.getString(1));
            }
            return result;
        }
    }

    private void createNextMonth(String tenant, Instant now) throws SQLException {
        Instant nextMonth = now.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement(
                    "select 1 from chain_heads where tenant_id = ? for update");
                    PreparedStatement ensure = c.prepareStatement("select ensure_partition(?, ?)")) {
                lock.setString(1, tenant);
                lock.executeQuery().close();
                ensure.setString(1, tenant);
                ensure.setObject(2, nextMonth.atOffset(ZoneOffset.UTC));
                ensure.executeQuery().close();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
