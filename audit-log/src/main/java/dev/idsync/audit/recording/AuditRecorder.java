package dev.idsync.audit.recording;

import dev.idsync.audit.AuditMetrics;
import dev.idsync.audit.chain.ChainHash;
import dev.idsync.audit.chain.StoredEvent;
import dev.idsync.db.DatabaseRetry;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Appends a consumer batch to the tenants' chains in one transaction, with a fixed number of round trips
 * whatever the batch size: lock the heads of the batch's tenants, drop the ce_ids already recorded, hash
 * the new rows in batch order in memory, insert them as one batch, move the heads.
 *
 * <p>Locking each tenant's {@code chain_heads} row (in tenant order, so two writers never deadlock) is
 * what keeps a chain linear when several partitions or instances consume at once: the second writer of a
 * tenant waits until the first has committed and then continues from its head. An event whose ce_id is
 * already recorded is skipped: delivery is at-least-once and the poller may publish a change twice after
 * a crash, but the audit shows each change once.
 */
@ApplicationScoped
public class AuditRecorder {


    private static final String CREATE_HEADS = """
            insert into chain_heads (tenant_id) select t from unnest(?::text[]) as t order by t
            on conflict do nothing
            """;
    private static final String LOCK_HEADS = """
            select tenant_id, last_seq, last_hash, last_recorded_at from chain_heads
            where tenant_id = any(?) order by tenant_id for update
            """;
    private static final String CLAIM_IDS = """
            insert into event_ids (ce_id, tenant_id, recorded_at)
            select * from unnest(?::text[], ?::text[], ?::timestamptz[])
            on conflict do nothing returning ce_id
            """;
    private static final String INSERT = """
            insert into events (tenant_id, seq, recorded_at, ce_id, ce_type, ce_source, topic, object_id, actor,
                                run_id, occurred_at, payload, hash)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;
    private static final String MOVE_HEAD = """
            update chain_heads set last_seq = ?, last_hash = ?, last_recorded_at = ? where tenant_id = ?
            """;

    private final AgroalDataSource dataSource;
    private final AuditMetrics metrics;
    /** Month partitions known to exist ("tenant|2026-11"); filled only after a commit. */
    private final Set<String> knownPartitions = ConcurrentHashMap.newKeySet();

    private final DatabaseRetry retry;

    AuditRecorder(AgroalDataSource dataSource, AuditMetrics metrics, DatabaseRetry retry) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.retry = retry;
    }

    /** Records the entries now; returns how many were new. */
    public int record(List<AuditEntry> entries) {
        return record(entries, Instant.now());
    }

    /**
     * Records the entries as of {@code now} (the retention tests write "old" rows this way). A deadlock, a
     * serialization failure or a database restart repeats the whole batch (db-support's
     * {@link DatabaseRetry}): it rolled back, so nothing is half-written, and its offsets stay uncommitted.
     */
    public int record(List<AuditEntry> entries, Instant now) {
        if (entries.isEmpty()) {
            return 0;
        }
        return retry.call("record audit entries", () -> recordOnce(entries, now));
    }

    private int recordOnce(List<AuditEntry> entries, Instant now) throws SQLException {
        long started = System.nanoTime();
        Set<String> newPartitions = new HashSet<>();
        int appended;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Map<String, Head> heads = lockHeads(connection, entries, now.truncatedTo(ChronoUnit.MICROS));
                Set<String> fresh = claimIds(connection, entries, heads);
                List<StoredEvent> rows = chain(entries, fresh, heads);
                for (Head head : heads.values()) {
                    if (head.appended > 0) {
                        String partition = head.tenantId + "|" + YearMonth.from(head.recordedAt.atOffset(ZoneOffset.UTC));
                        if (!knownPartitions.contains(partition)) {
                            ensurePartition(connection, head.tenantId, head.recordedAt);
                            newPartitions.add(partition);
                        }
                    }
                }
                insert(connection, rows);
                moveHeads(connection, heads);
                connection.commit();
                appended = rows.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        knownPartitions.addAll(newPartitions);
        Instant newest = entries.stream().map(AuditEntry::publishedAt).max(Instant::compareTo).orElse(null);
        metrics.batchRecorded(appended, entries.size() - appended, Duration.ofNanos(System.nanoTime() - started),
                newest, Instant.now());
        return appended;
    }

    private Map<String, Head> lockHeads(Connection connection, List<AuditEntry> entries, Instant now) throws SQLException {
        String[] tenants = entries.stream().map(AuditEntry::tenantId).distinct().sorted().toArray(String[]::new);
        Array tenantArray = connection.createArrayOf("text", tenants);
        try (PreparedStatement create = connection.prepareStatement(CREATE_HEADS)) {
            create.setArray(1, tenantArray);
            create.executeUpdate();
        }
        Map<String, Head> heads = new TreeMap<>();
        try (PreparedStatement lock = connection.prepareStatement(LOCK_HEADS)) {
            lock.setArray(1, tenantArray);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime last = rs.getObject(4, OffsetDateTime.class);
                    // recorded_at never goes back within a tenant (clocks of several instances may differ),
                    // so each month partition holds one contiguous stretch of the chain.
                    Instant recordedAt = last != null && last.toInstant().isAfter(now) ? last.toInstant() : now;
                    heads.put(rs.getString(1), new Head(rs.getString(1), rs.getLong(2), rs.getBytes(3), recordedAt));
                }
            }
        }
        return heads;
    }

    /** Registers the batch's ce_ids; returns those that were not recorded before. */
    private static Set<String> claimIds(Connection connection, List<AuditEntry> entries, Map<String, Head> heads)
            throws SQLException {
        String[] ids = new String[entries.size()];
        String[] tenants = new String[entries.size()];
        String[] times = new String[entries.size()];
        for (int i = 0; i < ids.length; i++) {
            AuditEntry e = entries.get(i);
            ids[i] = e.ceId();
            tenants[i] = e.tenantId();
            times[i] = heads.get(e.tenantId()).recordedAt.toString();
        }
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement claim = connection.prepareStatement(CLAIM_IDS)) {
            claim.setArray(1, connection.createArrayOf("text", ids));
            claim.setArray(2, connection.createArrayOf("text", tenants));
            claim.setArray(3, connection.createArrayOf("text", times));
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }

    /** Gives each new entry its seq and hash, in batch order, continuing from its tenant's head. */
    private static List<StoredEvent> chain(List<AuditEntry> entries, Set<String> fresh, Map<String, Head> heads) {
        ChainHash hash = new ChainHash();
        List<StoredEvent> rows = new ArrayList<>(fresh.size());
        for (AuditEntry e : entries) {
            if (!fresh.remove(e.ceId())) {
                continue; // recorded before, or twice in this batch
            }
            Head head = heads.get(e.tenantId());
            StoredEvent unhashed = new StoredEvent(e.tenantId(), head.lastSeq + 1, head.recordedAt, e.ceId(), e.ceType(),
                    e.ceSource(), e.topic(), e.objectId(), e.actor(), e.runId(), e.occurredAt(), e.payload(), null);
            byte[] h = hash.next(head.lastHash, unhashed);
            rows.add(new StoredEvent(unhashed.tenantId(), unhashed.seq(), unhashed.recordedAt(), unhashed.ceId(),
                    unhashed.ceType(), unhashed.ceSource(), unhashed.topic(), unhashed.objectId(), unhashed.actor(),
                    unhashed.runId(), unhashed.occurredAt(), unhashed.payload(), h));
            head.lastSeq++;
            head.lastHash = h;
            head.appended++;
        }
        return rows;
    }

    private static void ensurePartition(Connection connection, String tenant, Instant at) throws SQLException {
        try (PreparedStatement ensure = connection.prepareStatement("select ensure_partition(?, ?)")) {
            ensure.setString(1, tenant);
            ensure.setObject(2, at.atOffset(ZoneOffset.UTC));
            ensure.executeQuery().close();
        }
    }

    private static void insert(Connection connection, List<StoredEvent> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (StoredEvent r : rows) {
                insert.setString(1, r.tenantId());
                insert.setLong(2, r.seq());
                insert.setObject(3, r.recordedAt().atOffset(ZoneOffset.UTC));
                insert.setString(4, r.ceId());
                insert.setString(5, r.ceType());
                insert.setString(6, r.ceSource());
                insert.setString(7, r.topic());
                insert.setString(8, r.objectId());
                insert.setString(9, r.actor());
                insert.setString(10, r.runId());
                insert.setObject(11, r.occurredAt().atOffset(ZoneOffset.UTC));
                insert.setBytes(12, r.payload());
                insert.setBytes(13, r.hash());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void moveHeads(Connection connection, Map<String, Head> heads) throws SQLException {
        try (PreparedStatement move = connection.prepareStatement(MOVE_HEAD)) {
            int moved = 0;
            for (Head head : heads.values()) {
                if (head.appended > 0) {
                    move.setLong(1, head.lastSeq);
                    move.setBytes(2, head.lastHash);
                    move.setObject(3, head.recordedAt.atOffset(ZoneOffset.UTC));
                    move.setString(4, head.tenantId);
                    move.addBatch();
                    moved++;
                }
            }
            if (moved > 0) {
                move.executeBatch();
            }
        }
    }

    /** A tenant's chain head while a batch is appended to it (mutable, local to one transaction). */
    private static final class Head {
        final String tenantId;
        final Instant recordedAt;
        long lastSeq;
        byte[] lastHash;
        int appended;

        Head(String tenantId, long lastSeq, byte[] lastHash, Instant recordedAt) {
            this.tenantId = tenantId;
            this.lastSeq = lastSeq;
            this.lastHash = lastHash;
            this.recordedAt = recordedAt;
        }
    }
}
