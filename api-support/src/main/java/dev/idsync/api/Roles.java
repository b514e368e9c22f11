package dev.idsync.api;

/** The roles of idsync's APIs (token claim {@code roles}, CONTRACT.md). */
public final class Roles {

    /** Resync, approvals, mappings. */
    public static final String ADMIN = "idsync.admin";
    /** Profile updates, manual role assignments. */
    public static final String WRITER = "idsync.writer";
    /** Read APIs, audit queries. */
    public static final String READER = "idsync.reader";

    private Roles() {
    }
}
