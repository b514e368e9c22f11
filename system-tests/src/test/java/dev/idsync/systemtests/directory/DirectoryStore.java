package dev.idsync.systemtests.directory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.systemtests.stack.Stack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads delta-processor's {@code directory} schema over JDBC, read-only (the schema is the processor's;
 * the test only looks), in one repeatable-read snapshot so objects and memberships agree.
 */
public final class DirectoryStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Stack stack;
    private final String tenantId;

    public DirectoryStore(Stack stack, String tenantId) {
        this.stack = stack;
        this.tenantId = tenantId;
    }

    /** One stored object's columns; empty when the store has no row for it. */
    public record StoredObject(String id, String kind, String state, boolean placeholder, Map<String, Object> attributes,
                               String removalReason) {
    }

    public DirectoryState read() {
        try (Connection c = connect()) {
            DirectoryState s = DirectoryState.empty();
            Set<String> activeGroups = new TreeSet<>();
            Set<String> activeRoles = new TreeSet<>();
            try (PreparedStatement q = c.prepareStatement(
                    "select object_id, kind, state, placeholder, attributes::text, removal_reason from directory.objects where tenant_id = ?")) {
                q.setString(1, tenantId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        StoredObject o = object(rs);
                        if (o.placeholder()) {
                            s.placeholders().add(o.id());
                            continue;
                        }
                        boolean active = "active".equals(o.state());
                        boolean pending = "pendingDeletion".equals(o.state());
                        Map<String, Object> attributes = DirectoryState.comparable(o.attributes());
                        switch (o.kind()) {
                            case "user" -> {
                                if (active) {
                                    s.users().put(o.id(), attributes);
                                } else if (pending) {
                                    s.pendingUsers().add(o.id());
                                }
                            }
                            case "group" -> {
                                if (active) {
                                    s.groups().put(o.id(), attributes);
                                    activeGroups.add(o.id());
                                } else if (pending) {
                                    s.pendingGroups().add(o.id());
                                }
                            }
                            case "directoryRole" -> {
                                if (active) {
                                    s.roles().put(o.id(), attributes);
                                    activeRoles.add(o.id());
                                }
                            }
                            default -> { }
                        }
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("""
                    select container_id, member_id, container_kind from directory.memberships
                    where tenant_id = ? and present""")) {
                q.setString(1, tenantId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String container = rs.getString(1);
                        boolean group = "group".equals(rs.getString(3));
                        // Members are compared for active containers, as the snapshot lists them.
                        if (group ? activeGroups.contains(container) : activeRoles.contains(container)) {
                            (group ? s.groupMembers() : s.roleMembers())
                                    .computeIfAbsent(container, k -> new TreeSet<>()).add(rs.getString(2));
                        }
                    }
                }
            }
            c.commit();
            return s;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
    }

    /**
     * What the processor decided for the tenant ({@link DecidedDirectory}): every object but placeholders,
     * active with its stored attributes or removed with its reason, and every present membership; one
     * repeatable-read snapshot.
     */
    public DecidedDirectory decided() {
        Map<String, String> entries = new TreeMap<>();
        try (Connection c = connect()) {
            try (PreparedStatement q = c.prepareStatement("""
                    select object_id, kind, state, placeholder, attributes::text, removal_reason from directory.objects
                    where tenant_id = ? and not placeholder and kind in ('user', 'group', 'directoryRole')""")) {
                q.setString(1, tenantId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        StoredObject o = object(rs);
                        entries.put(DecidedDirectory.objectKey(o.kind(), o.id()), "active".equals(o.state())
                                ? DecidedDirectory.active(o.attributes()) : DecidedDirectory.removed(o.removalReason()));
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("""
                    select container_kind, container_id, member_id, member_type from directory.memberships
                    where tenant_id = ? and present""")) {
                q.setString(1, tenantId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        entries.put(DecidedDirectory.memberKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                                rs.getString(4));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
        return new DecidedDirectory(tenantId, entries);
    }

    /** The ids of the tenant's users the store holds (placeholders aside), active or not, sorted. */
    public List<String> userIds() {
        List<String> ids = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                "select object_id from directory.objects where tenant_id = ? and kind = 'user' and not placeholder order by object_id")) {
            q.setString(1, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
        return ids;
    }

    /** Every object of the tenant but placeholders: id → {@code kind state}, when removed {@code kind state/reason}. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                "select object_id, kind, state, removal_reason from directory.objects where tenant_id = ? and not placeholder")) {
            q.setString(1, tenantId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3) + (rs.getString(4) == null ? "" : "/" + rs.getString(4)));
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
        return states;
    }

    /** Every tenant the store holds objects of. */
    public static Set<String> tenants(Stack stack) {
        Set<String> tenants = new TreeSet<>();
        try (Connection c = connect(stack); PreparedStatement q = c.prepareStatement("select distinct tenant_id from directory.objects");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
        return tenants;
    }

    /**
     * How many decided events wait in the processor's outbox (all tenants): committed in the store, not yet
     * acknowledged by Kafka. Zero means every change committed so far is on the topics.
     */
    public static long outboxPending(Stack stack) {
        return count(stack, "select count(*) from directory.outbox");
    }

    /** As {@link #outboxPending}, for role-mapper's outbox of role-assignment events (its schema, read only). */
    public static long roleOutboxPending(Stack stack) {
        return count(stack, "select count(*) from roles.outbox");
    }

    private static long count(Stack stack, String sql) {
        try (Connection c = connect(stack); PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            rs.next();
            long n = rs.getLong(1);
            c.commit();
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read: " + sql, e);
        }
    }

    public Optional<StoredObject> object(String objectId) {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                "select object_id, kind, state, placeholder, attributes::text, removal_reason from directory.objects where tenant_id = ? and object_id = ?")) {
            q.setString(1, tenantId);
            q.setString(2, objectId);
            try (ResultSet rs = q.executeQuery()) {
                Optional<StoredObject> found = rs.next() ? Optional.of(object(rs)) : Optional.empty();
                c.commit();
                return found;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
    }

    /** How many objects of the kind ({@code user}, {@code group}, …) the store holds, placeholders aside. */
    public long count(String kind) {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(
                "select count(*) from directory.objects where tenant_id = ? and kind = ? and not placeholder")) {
            q.setString(1, tenantId);
            q.setString(2, kind);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                c.commit();
                return n;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
    }

    /** Whether the store holds the present membership (member in group or directory role). */
    public boolean hasMembership(String containerId, String memberId) {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement("""
                select 1 from directory.memberships where tenant_id = ? and container_id = ? and member_id = ? and present""")) {
            q.setString(1, tenantId);
            q.setString(2, containerId);
            q.setString(3, memberId);
            try (ResultSet rs = q.executeQuery()) {
                boolean found = rs.next();
                c.commit();
                return found;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the directory schema", e);
        }
    }

    private static StoredObject object(ResultSet rs) throws SQLException {
        try {
            Map<String, Object> attributes = JSON.readValue(rs.getString(5), new TypeReference<LinkedHashMap<String, Object>>() { });
            return new StoredObject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), attributes,
                    rs.getString(6));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Connection connect() throws SQLException {
        return connect(stack);
    }

    private static Connection connect(Stack stack) throws SQLException {
        Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
        c.setReadOnly(true);
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        return c;
    }
}
