package dev.idsync.db;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a failure means "the same work will succeed if done again": PostgreSQL restarting or briefly
 * unreachable (a pool's connections die with it), or a transaction it aborted for a deadlock or a
 * serialization conflict. Anything else (a constraint, a syntax error, bad data) fails again and is not
 * transient.
 */
public final class TransientDatabaseFailure {

    /**
     * SQL states besides class 08 (connection exception): serialization failure, deadlock, admin/crash
     * shutdown, cannot connect now (starting up), too many connections.
     */
    static final Set<String> STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "53300");

    private TransientDatabaseFailure() {
    }

    public static boolean isTransient(Throwable failure) {
        return reason(failure).isPresent();
    }

    /** The transient cause as a short text for logs ({@code 08006 An I/O error occurred ...}), if any. */
    public static Optional<String> reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    String state = e.getSQLState();
                    if (state != null && (state.startsWith("08") || STATES.contains(state))) {
                        return Optional.of(state + " " + e.getMessage());
                    }
                }
                if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
                    return Optional.of(sql.getClass().getSimpleName() + " " + sql.getMessage());
                }
            }
            if (t instanceof ConnectException) {
                return Optional.of(t.toString());
            }
        }
        return Optional.empty();
    }
}
