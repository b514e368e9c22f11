package dev.idsync.poller.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;

/**
 * The advisory locks of one run, held by a database session of their own for as long as the run lasts. If
 * the instance dies, PostgreSQL ends the session and the locks go with it, so a crash never blocks a
 * tenant for good.
 */
final class RunLease implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunLease.class);

    private final Connection session;

    RunLease(Connection session) {
        this.session = session;
    }

    /** Releases the locks before the connection goes back to the pool (session locks outlive a close there). */
    @Override
    public void close() {
        try (Connection c = session; Statement s = c.createStatement()) {
            s.execute("select pg_advisory_unlock_all()");
        } catch (SQLException e) {
            LOG.warnf("could not release run locks cleanly (the session ends anyway): %s", e.getMessage());
        }
    }
}
