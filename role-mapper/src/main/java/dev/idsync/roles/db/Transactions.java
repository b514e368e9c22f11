package dev.idsync.roles.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Runs work in one database transaction, retrying it when PostgreSQL aborted it for a deadlock or a
 * serialization failure: consumers of different topics and login-syncs touch the same users
 * concurrently, and such an abort is no reason to stop a consumer.
 */
@ApplicationScoped
public class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
    private static final int ATTEMPTS = 4;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    Transactions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T inTransaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && RETRYABLE.contains(e.getSQLState())) {
                    LOG.infof("%s: transaction aborted (%s), attempt %d of %d", what, e.getSQLState(), attempt, ATTEMPTS);
                    continue;
                }
                throw new IllegalStateException(what + " failed", e);
            }
        }
    }
}
