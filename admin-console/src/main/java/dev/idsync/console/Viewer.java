package dev.idsync.console;

import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is signed in and what the pages may offer them: the same roles the APIs check (docs/CONTRACT.md
 * "Security"), read from the ID token. Hiding a button is only courtesy: the APIs refuse anyway.
 */
@RequestScoped
public class Viewer {

    public static final String ADMIN = "idsync.admin";
    public static final String WRITER = "idsync.writer";
    public static final String READER = "idsync.reader";
    public static final String OPERATOR = "idsync.operator";
    public static final String TENANT_PREFIX = "idsync.tenant.";

    private final SecurityIdentity identity;

    Viewer(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String name() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            for (String claim : new String[] {"name", "preferred_username", "sub"}) {
                Object value = jwt.getClaim(claim);
                if (value != null && !value.toString().isBlank()) {
                    return value.toString();
                }
            }
        }
        return identity.getPrincipal().getName();
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean admin() {
        return identity.hasRole(ADMIN);
    }

    /** Profile edits and manual role assignments: writer, and admin too (as profile-writer allows). */
    public boolean writer() {
        return identity.hasRole(WRITER) || identity.hasRole(ADMIN);
    }

    public boolean mayAct(String tenant) {
        return identity.hasRole(OPERATOR) || identity.hasRole(TENANT_PREFIX + tenant);
    }

    public String roleSummary() {
        return String.join(", ", identity.getRoles().stream().sorted().toList());
    }

    /** Manual role assignments: role-mapper allows them to {@code idsync.writer} only. */
    public boolean grantsRoles() {
        return identity.hasRole(WRITER);
    }

    /** What the templates read (a plain value: the request-scoped bean itself is a client proxy). */
    public Who who() {
        return new Who(name(), roleSummary(), admin(), writer(), grantsRoles());
    }

    @TemplateData
    public record Who(String name, String roleSummary, boolean admin, boolean writer, boolean grantsRoles) {
    }
}
