package dev.idsync.roles.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Serializes, per tenant and across instances, the transactions that evaluate roles from groups and
 * memberships: users, groups and memberships arrive on three channels, each batch in its own
 * transaction, and a mapping edit re-evaluates a tenant's users in another. Side by side, a groups batch
 * and a memberships batch of one tenant can each miss the other's rows (READ COMMITTED sees only what
 * was committed when a statement began), so a member of App-X-HR could end up without HR for good (seen
 * in system-tests, about one initial sync in ten). Under this transaction lock the second sees what the
 * first committed. Tenants are locked in name order, so two transactions never deadlock on it.
 */
public final class TenantApplyLock {

    private TenantApplyLock() {
    }

    public static void lock(Connection c, Collection<String> tenants) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            for (String tenant : new TreeSet<>(tenants)) {
                lock.setString(1, "idsync-role-mapper-apply:" + tenant);
                lock.execute();
            }
        }
    }
}
