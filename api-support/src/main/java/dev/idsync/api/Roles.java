package dev.idsync.api;

/**
 * The roles of idsync's APIs (token claim {@code roles}, docs/CONTRACT.md "Security"). What a token may do
 * ({@link #ADMIN}, {@link #WRITER}, {@link #READER}) and on which tenants ({@link #OPERATOR} or
 * {@link #tenant(String)} entries, {@link TenantScope}) are separate roles.
 */
public final class Roles {

    /** Resync, approvals, mappings. */
    public static final String ADMIN = "idsync.admin";
    /** Profile updates, manual role assignments. */
    public static final String WRITER = "idsync.writer";
    /** Read APIs, audit queries. */
    public static final String READER = "idsync.reader";
    /** Acts on every tenant (the default {@code idsync.api.tenants.operator-role}); grants no operation by itself. */
    public static final String OPERATOR = "idsync.operator";
    /** Prefix of the app role that grants one tenant with the default {@code idsync.api.tenants.entry}. */
    public static final String TENANT_PREFIX = "idsync.tenant.";

    private Roles() {
    }

    /** The app role that grants {@code tenantId} with the default configuration, e.g. {@code idsync.tenant.contoso}. */
    public static String tenant(String tenantId) {
        return TENANT_PREFIX + tenantId;
    }
}
