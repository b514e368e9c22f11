package dev.idsync.audit.retention;

import dev.idsync.audit.AuditMetrics;
import dev.idsync.audit.chain.ChainVerifier;
import dev.idsync.audit.chain.VerifyResult;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Drops a tenant's month partitions that lie wholly before a cutoff, oldest first, each in its own
 * transaction with the chain head locked (no batch of that tenant runs meanwhile). Before a partition
 * goes, the chain up to its last row is verified: evidence of tampering is never thrown away, the drop
 * is refused instead. The partition's last hash becomes the tenant's anchor, from which verification of
 * the remaining rows starts.
 */
@ApplicationScoped
public class PartitionDropper {

    private static final Logger LOG = Logger.getLogger(PartitionDropper.class);

    private final AgroalDataSource dataSource;
    private final ChainVerifier verifier;
    private final AuditMetrics metrics;

    PartitionDropper(AgroalDataSource dataSource, ChainVerifier verifier, AuditMetrics metrics) {
        this.dataSource = dataSource;
        this.verifier = verifier;
        this.metrics = metrics;
    }

    /** What one drop removed. */
    public record Dropped(String table, Instant rangeEnd, long anchorSeq) {
    }

    /** Drops every partition of {@code tenant} that ends at or before {@code cutoff}; returns them. */
    public List<Dropped> dropBefore(String tenant, Instant cutoff) throws SQLException {
        List<Dropped> dropped = new ArrayList<>();
        for (Partition p : expired(tenant, cutoff)) {
            Optional<Dropped> done = drop(tenant, p);
            if (done.isEmpty()) {
                break;
            }
            dropped.add(done.get());
        }
        return dropped;
    }

    private record Partition(String table, Instant start, Instant end) {
    }

    private List<Partition> expired(String tenant, Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select table_name, range_start, range_end from partitions
                        where tenant_id = ? and range_end <= ? order by range_start""")) {
            q.setString(1, tenant);
            q.setObject(2, cutoff.atOffset(ZoneOffset.UTC));
            List<Partition> result = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.add(new Partition(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
            return result;
        }
    }

    private Optional<Dropped> drop(String tenant, Partition p) throws SQLException {
        String table = quote(p.table());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Dropping needs an exclusive lock on the tenant's table; rather fail and retry next run than
                // queue every writer and reader of the tenant behind a long export.
                s.execute("set local lock_timeout = '10s'");
                long anchorSeq;
                try (PreparedStatement lock = c.prepareStatement(
                        "select anchor_seq from chain_heads where tenant_id = ? for update")) {
                    lock.setString(1, tenant);
                    try (ResultSet rs = lock.executeQuery()) {
                        anchorSeq = rs.next() ? rs.getLong(1) : 0;
                    }
                }
                long lastSeq = anchorSeq;
                byte[] lastHash = null;
                try (ResultSet rs = s.executeQuery("select seq, hash from " + table + " order by seq desc limit 1")) {
                    if (rs.next()) {
                        lastSeq = rs.getLong(1);
                        lastHash = rs.getBytes(2);
                    }
                }
                if (lastHash != null) {
                    VerifyResult check = verifier.verify(tenant, lastSeq).orElseThrow();
                    if (!check.intact()) {
                        c.rollback();
                        metrics.retentionRefused();
                        LOG.errorf("retention refused to drop %s: the chain is broken at seq %d (%s)", p.table(),
                                check.firstBroken().seq(), check.firstBroken().reason());
                        return Optional.empty();
                    }
                    try (PreparedStatement anchor = c.prepareStatement("""
                            update chain_heads set anchor_seq = ?, anchor_hash = ?, anchored_at = now()
                            where tenant_id = ?""")) {
                        anchor.setLong(1, lastSeq);
                        anchor.setBytes(2, lastHash);
                        anchor.setString(3, tenant);
                        anchor.executeUpdate();
                    }
                }
                try (PreparedStatement log = c.prepareStatement("""
                        insert into retention_log (tenant_id, table_name, range_start, range_end, anchor_seq, anchor_hash)
                        select ?, ?, ?, ?, anchor_seq, anchor_hash from chain_heads where tenant_id = ?""")) {
                    log.setString(1, tenant);
                    log.setString(2, p.table());
                    log.setObject(3, p.start().atOffset(ZoneOffset.UTC));
                    log.setObject(4, p.end().atOffset(ZoneOffset.UTC));
                    log.setString(5, tenant);
                    log.executeUpdate();
                }
                s.execute("drop table " + table);
                try (PreparedStatement forget = c.prepareStatement(
                        "delete from event_ids where tenant_id = ? and recorded_at < ?")) {
                    forget.setString(1, tenant);
                    forget.setObject(2, p.end().atOffset(ZoneOffset.UTC));
                    forget.executeUpdate();
                }
                try (PreparedStatement unregister = c.prepareStatement("delete from partitions where table_name = ?")) {
                    unregister.setString(1, p.table());
                    unregister.executeUpdate();
                }
                c.commit();
                metrics.partitionDropped();
                LOG.infof("retention dropped %s (%s..%s) of tenant %s, anchor now seq %d", p.table(), p.start(), p.end(),
                        tenant, lastSeq);
                return Optional.of(new Dropped(p.table(), p.end(), lastSeq));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
