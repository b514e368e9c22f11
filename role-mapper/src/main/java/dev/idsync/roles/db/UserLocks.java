package dev.idsync.roles.db;

import dev.idsync.roles.UserRef;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Transaction-scoped advisory locks per user. Role evaluation reads a user's facts and then writes the
 * difference to the stored assignments; two transactions doing that for the same user at once (the
 * memberships and users consumers, a login-sync, a manual assignment, possibly in different instances)
 * would both see the old assignments and both grant. Holding the user's lock makes them take turns, and
 * READ COMMITTED lets the second see what the first committed. Locks are taken in hash order in one
 * statement, so two transactions never wait on each other in a cycle.
 */
public final class UserLocks {

    private static final String LOCK = """
            select pg_advisory_xact_lock(h) from (
                select distinct hashtextextended(t || ':' || u, 0) as h
                from unnest(?::text[], ?::text[]) as x(t, u)
                order by 1) locks
            """;

    private UserLocks() {
    }

    public static void lock(Connection connection, Collection<UserRef> users) throws SQLException {
        if (users.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(LOCK)) {
            Array[] arrays = SqlArrays.tenantsAndUsers(connection, users);
            statement.setArray(1, arrays[0]);
            statement.setArray(2, arrays[1]);
            statement.executeQuery().close();
        }
    }
}
