package dev.idsync.db;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether the database refused work <em>for good</em> because of the data it was given: SQL state class
 * {@code 22} (data exception: a value too long, a NUL byte in text, an unsupported JSON escape, a number out
 * of range) or {@code 23} (integrity constraint violation: not null, unique, foreign key, check). Doing the
 * same work again fails the same way, so a consumer must set the record that carries such data aside (its
 * dead-letter topic) instead of stopping or repeating the batch. Everything else is either transient
 * ({@link TransientDatabaseFailure}) or a fault of the service itself (a syntax error, a missing table),
 * which no record can be blamed for.
 */
public final class DatabaseRefusal {

    private DatabaseRefusal() {
    }

    /** The refusal as a short text for logs and headers ({@code 22001 value too long ...}), if it is one. */
    public static Optional<String> reason(Throwable failure) {
        if (TransientDatabaseFailure.isTransient(failure)) {
            return Optional.empty();
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                // The last of the chain is the server's own error; a batch's first one quotes the whole
                // statement with its values ("Batch entry 0 insert into ..."), which is no log material.
                SQLException refusal = null;
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    String state = e.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        refusal = e;
                    }
                }
                if (refusal != null) {
                    return Optional.of(refusal.getSQLState() + " " + firstLine(refusal.getMessage()));
                }
            }
            for (Throwable suppressed : t.getSuppressed()) {
                Optional<String> inner = reason(suppressed);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    public static boolean isRefusal(Throwable failure) {
        return reason(failure).isPresent();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
