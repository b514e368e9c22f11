package dev.idsync.roles.db;

import dev.idsync.db.DatabaseRetry;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Runs work in one database transaction, repeated when it failed transiently (db-support's
 * {@link DatabaseRetry}): a deadlock or serialization failure between consumers of different topics and
 * login-syncs touching the same users, or PostgreSQL restarting. Background work (consumers, the
 * outbox relay) waits for the database as long as {@code idsync.db.retry.max-wait} allows; a request
 * waits at most {@link #REQUEST_MAX_WAIT} and then fails.
 */
@ApplicationScoped
public class Transactions {

    static final Duration REQUEST_MAX_WAIT = Duration.ofSeconds(3);

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final AgroalDataSource dataSource;
    private final DatabaseRetry background;
    private final DatabaseRetry request;

    Transactions(AgroalDataSource dataSource, DatabaseRetry retry) {
        this.dataSource = dataSource;
        this.background = retry;
        this.request = retry.withMaxWait(REQUEST_MAX_WAIT);
    }

    /** For work on behalf of an HTTP request. */
    public <T> T inTransaction(String what, Work<T> work) {
        return request.call(what, () -> once(work));
    }

    /** For background work whose input stays where it is until it succeeds (a poll batch, the outbox). */
    public <T> T inTransactionWaitingForTheDatabase(String what, Work<T> work) {
        return background.call(what, () -> once(work));
    }

    /**
     * For a what-if on behalf of an HTTP request: the work runs with the same statements and locks as the real
     * change, and everything it wrote is rolled back (a simulation is exactly what saving would do).
     */
    public <T> T rolledBack(String what, Work<T> work) {
        return request.call(what, () -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    return work.run(connection);
                } finally {
                    connection.rollback();
                }
            }
        });
    }

    private <T> T once(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailed) {
                    // The connection is gone (that is often why the work failed): the work's failure says why.
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            }
        }
    }
}
