package dev.idsync.audit.chain;

import dev.idsync.audit.AuditMetrics;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Walks a tenant's chain from its anchor to its head, recomputing each hash from the stored row. Rows
 * stream through a server-side cursor (fetch size {@value #FETCH}), so memory does not grow with the
 * chain; head and rows are read in one repeatable-read snapshot, so a batch committed meanwhile cannot
 * look like a gap. A changed row fails its own hash; a deleted or inserted row breaks seq's continuity;
 * rows cut off at the end no longer reach the head.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final Logger LOG = Logger.getLogger(ChainVerifier.class);
    private static final int FETCH = 2000;

    private static final String HEAD = """
            select last_seq, last_hash, anchor_seq, anchor_hash from chain_heads where tenant_id = ?
            """;
    private static final String ROWS = """
            select seq, recorded_at, ce_id, ce_type, ce_source, topic, object_id, actor, run_id, occurred_at,
                   payload, hash
            from events where tenant_id = ? and seq > ? and seq <= ? order by seq
            """;

    private final AgroalDataSource dataSource;
    private final AuditMetrics metrics;

    ChainVerifier(AgroalDataSource dataSource, AuditMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /** The whole retained chain; empty when the tenant has never had an event. */
    public Optional<VerifyResult> verify(String tenant) {
        return verify(tenant, Long.MAX_VALUE);
    }

    /** The chain from the anchor up to seq {@code untilSeq} (the retention job checks what it will drop). */
    public Optional<VerifyResult> verify(String tenant, long untilSeq) {
        long started = System.nanoTime();
        MDC.put("tenant", tenant);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                Optional<VerifyResult> result = walk(connection, tenant, untilSeq, started);
                connection.commit();
                result.ifPresent(r -> {
                    metrics.verified(r.intact(), r.rowsChecked(), Duration.ofMillis(r.millis()));
                    if (!r.intact()) {
                        LOG.errorf("audit chain of %s broken at seq %d: %s", tenant, r.firstBroken().seq(),
                                r.firstBroken().reason());
                    }
                });
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not verify the audit chain of " + tenant, e);
        } finally {
            MDC.remove("tenant");
        }
    }

    private static Optional<VerifyResult> walk(Connection connection, String tenant, long untilSeq, long started)
            throws SQLException {
        long headSeq;
        byte[] headHash;
        long anchorSeq;
        byte[] anchorHash;
        try (PreparedStatement head = connection.prepareStatement(HEAD)) {
            head.setString(1, tenant);
            try (ResultSet rs = head.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                headSeq = rs.getLong(1);
                headHash = rs.getBytes(2);
                anchorSeq = rs.getLong(3);
                anchorHash = rs.getBytes(4);
            }
        }
        long endSeq = Math.min(untilSeq, headSeq);
        ChainHash chainHash = new ChainHash();
        byte[] running = anchorHash;
        long expected = anchorSeq + 1;
        long checked = 0;
        VerifyResult.BrokenRow broken = null;
        try (PreparedStatement rows = connection.prepareStatement(ROWS)) {
            rows.setFetchSize(FETCH);
            rows.setString(1, tenant);
            rows.setLong(2, anchorSeq);
            rows.setLong(3, endSeq);
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    StoredEvent row = read(tenant, rs);
                    checked++;
                    if (row.seq() != expected) {
                        broken = row.seq() > expected
                                ? new VerifyResult.BrokenRow(expected, null, "row missing (next stored row is seq " + row.seq() + ")")
                                : new VerifyResult.BrokenRow(row.seq(), row.ceId(), "seq " + row.seq() + " stored twice");
                        break;
                    }
                    byte[] recomputed = chainHash.next(running, row);
                    if (!Arrays.equals(recomputed, row.hash())) {
                        broken = new VerifyResult.BrokenRow(row.seq(), row.ceId(),
                                "hash does not match the row's content and the previous row's hash");
                        break;
                    }
                    running = recomputed;
                    expected++;
                }
            }
        }
        if (broken == null && expected <= endSeq) {
            broken = new VerifyResult.BrokenRow(expected, null, "rows " + expected + ".." + endSeq + " missing");
        } else if (broken == null && endSeq == headSeq && !Arrays.equals(running, headHash)) {
            broken = new VerifyResult.BrokenRow(headSeq, null, "the last row does not match the chain head");
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        return Optional.of(new VerifyResult(tenant, broken == null, checked, anchorSeq, ChainHash.hex(anchorHash),
                headSeq, ChainHash.hex(headHash), broken, millis));
    }

    static StoredEvent read(String tenant, ResultSet rs) throws SQLException {
        return new StoredEvent(tenant, rs.getLong("seq"), rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                rs.getString("ce_id"), rs.getString("ce_type"), rs.getString("ce_source"), rs.getString("topic"),
                rs.getString("object_id"), rs.getString("actor"), rs.getString("run_id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getBytes("payload"),
                rs.getBytes("hash"));
    }
}
