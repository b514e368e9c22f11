package dev.idsync.roles.nesting;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Reports the group cycles a walk cut (Entra forbids them, so they mean a corrupted feed): kept in
 * {@code roles.group_cycles} for the API, logged once per new cycle with the tenant and the cycle, and
 * counted per walk that met one ({@code idsync_roles_group_cycles_cut_total{tenant}}). A cycle is listed
 * until one of its edges is removed.
 */
@ApplicationScoped
public class GroupCycles {

    private static final Logger LOG = Logger.getLogger(GroupCycles.class);

    /** One detected cycle: group ids in edge order (each is a member of the next, the last of the first). */
    public record Cycle(String tenantId, List<String> groups, Instant firstSeen, Instant lastSeen) {
    }

    private final MeterRegistry registry;

    GroupCycles(MeterRegistry registry) {
        this.registry = registry;
    }

    public void report(Connection c, String tenant, Set<List<String>> cycles) throws SQLException {
        if (cycles.isEmpty()) {
            return;
        }
        registry.counter("idsync.roles.group.cycles.cut", "tenant", tenant).increment(cycles.size());
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into group_cycles as g (tenant_id, cycle, first_seen, last_seen) values (?, ?, ?, ?)
                on conflict (tenant_id, cycle) do update set last_seen = excluded.last_seen
                returning (xmax = 0)""")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (List<String> cycle : cycles) {
                upsert.setString(1, tenant);
                upsert.setArray(2, c.createArrayOf("text", cycle.toArray()));
                upsert.setTimestamp(3, now);
                upsert.setTimestamp(4, now);
                try (ResultSet rs = upsert.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        LOG.warnf("tenant %s: group-in-group cycle %s cut (Entra forbids cycles: the directory feed is"
                                + " corrupted); members below it keep the groups reached before the cycle closes",
                                tenant, String.join(" → ", cycle) + " → " + cycle.get(0));
                    }
                }
            }
        }
    }

    /** A removed edge (member in group) ends every listed cycle that ran through both. */
    public static void forgetEdges(Connection c, List<String[]> tenantGroupMember) throws SQLException {
        if (tenantGroupMember.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement(
                "delete from group_cycles where tenant_id = ? and cycle @> ?")) {
            for (String[] edge : tenantGroupMember) {
                delete.setString(1, edge[0]);
                delete.setArray(2, c.createArrayOf("text", new Object[] {edge[1], edge[2]}));
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    public static List<Cycle> list(Connection c, String tenant) throws SQLException {
        List<Cycle> cycles = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "select cycle, first_seen, last_seen from group_cycles where tenant_id = ? order by first_seen, cycle")) {
            q.setString(1, tenant);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Array cycle = rs.getArray(1);
                    cycles.add(new Cycle(tenant, List.of((String[]) cycle.getArray()), rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3).toInstant()));
                }
            }
        }
        return cycles;
    }
}
