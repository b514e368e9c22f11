package dev.idsync.profile.update;

import dev.idsync.api.ProblemException;
import dev.idsync.profile.config.WriterConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the updates of one user, also across instances. Inside one instance a fair lock (striped by
 * user, so memory stays bounded) queues the requests, so waiting requests hold no database connection;
 * across instances a PostgreSQL transaction-level advisory lock on (tenant, user) does, held by the
 * transaction that finally stores the local fields, so it is released exactly when that commits or rolls back.
 */
@ApplicationScoped
public class UserLocks {

    private static final int STRIPES = 1024;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final AgroalDataSource dataSource;
    private final WriterConfig config;

    UserLocks(AgroalDataSource dataSource, WriterConfig config) {
        this.dataSource = dataSource;
        this.config = config;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock(true);
        }
    }

    /** A held lock of the user with an open transaction; closing it rolls back unless committed, then unlocks. */
    public final class Held implements AutoCloseable {
        private final ReentrantLock local;
        private final Connection connection;

        private Held(ReentrantLock local, Connection connection) {
            this.local = local;
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public void close() {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException ignored) {
                // The connection is discarded by the pool; the advisory lock ends with its session transaction.
            } finally {
                local.unlock();
            }
        }
    }

    public Held acquire(String tenantId, String userId) {
        ReentrantLock local = stripes[Math.floorMod((tenantId + ':' + userId).hashCode(), STRIPES)];
        long timeoutMillis = config.lockTimeout().toMillis();
        try {
            if (!local.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw busy(userId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(userId);
        }
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement timeout = c.prepareStatement("select set_config('lock_timeout', ?, true)");
                 PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(?), hashtext(?))")) {
                timeout.setString(1, timeoutMillis + "ms");
                timeout.execute();
                lock.setString(1, tenantId);
                lock.setString(2, userId);
                lock.execute();
            }
            return new Held(local, c);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
            local.unlock();
            if ("55P03".equals(e.getSQLState())) {
                throw busy(userId);
            }
            throw new IllegalStateException("could not lock user " + userId, e);
        }
    }

    private static ProblemException busy(String userId) {
        return new ProblemException(503, "User busy", "another update of user " + userId
                + " is still running; try again");
    }
}
