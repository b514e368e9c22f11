package dev.idsync.poller.state;

import java.sql.SQLException;

/** JDBC failures as unchecked exceptions that say what was being done. */
final class Jdbc {

    private Jdbc() {
    }

    static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
    }
}
