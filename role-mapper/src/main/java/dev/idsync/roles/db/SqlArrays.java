package dev.idsync.roles.db;

import dev.idsync.roles.UserRef;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/** Users as two parallel text arrays, so one statement can select or lock any number of them. */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static Array[] tenantsAndUsers(Connection connection, Collection<UserRef> users) throws SQLException {
        String[] tenants = new String[users.size()];
        String[] ids = new String[users.size()];
        int i = 0;
        for (UserRef user : users) {
            tenants[i] = user.tenantId();
            ids[i] = user.userId();
            i++;
        }
        return new Array[] {connection.createArrayOf("text", tenants), connection.createArrayOf("text", ids)};
    }
}
