package dev.idsync.roles.login;

import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;
import dev.idsync.roles.api.UserRolesQuery;
import dev.idsync.roles.api.UserRolesView;
import dev.idsync.roles.assignment.AssignmentChange;
import dev.idsync.roles.assignment.AssignmentReconciler;
import dev.idsync.roles.db.Transactions;
import dev.idsync.roles.db.UserLocks;
import dev.idsync.roles.directory.MembershipChange;
import dev.idsync.roles.directory.MembershipWriter;
import dev.idsync.roles.directory.UserObservation;
import dev.idsync.roles.directory.UserStateWriter;
import dev.idsync.roles.mapping.MappingCatalog;
import dev.idsync.roles.metrics.RoleMetrics;
import dev.idsync.roles.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Login-time group sync: the groups Entra put in the user's ID token (transitive, nested groups included)
 * update the user's direct memberships at once — groups missing from the token are left, listed groups not
 * explained by a stored nested edge are joined ({@link #directGroups}), a token without a groups claim leaves
 * all of them (manual assignments stay), and an overage token's groups are read from Graph. Roles then
 * follow the tenant's {@code nested} switch exactly as on the delta path.
 *
 * <p>The token is an observation like a delta page, made at its {@code iat}: memberships are written with
 * that time through the same observedAt rule, so an older token replayed later cannot undo what a newer
 * delta run or login saw. A valid token also shows the account was active then.
 */
@ApplicationScoped
public class LoginSync {

    /** Where the groups came from: {@code claim}, {@code overage} (read from Graph) or {@code none}. */
    public record Result(String tenantId, String userId, String groupsSource, int groups, int changes,
            UserRolesView roles) {
    }

    private final IdTokenVerifier verifier;
    private final MemberGroupsSource graphGroups;
    private final MappingCatalog catalog;
    private final Transactions transactions;
    private final AssignmentReconciler reconciler;
    private final OutboxRelay relay;
    private final RoleMetrics metrics;

    LoginSync(IdTokenVerifier verifier, MemberGroupsSource graphGroups, MappingCatalog catalog, Transactions transactions,
            AssignmentReconciler reconciler, OutboxRelay relay, RoleMetrics metrics) {
        this.verifier = verifier;
        this.graphGroups = graphGroups;
        this.catalog = catalog;
        this.transactions = transactions;
        this.reconciler = reconciler;
        this.relay = relay;
        this.metrics = metrics;
    }

    public Result sync(String tenant, String idToken) {
        long started = System.nanoTime();
        String outcome = "rejected";
        try {
            if (!catalog.configured(tenant)) {
                throw ProblemException.notFound("no tenant '" + tenant + "' in idsync.yaml");
            }
            JwtClaims claims = verifier.verify(tenant, idToken);
            String userId = claimText(claims, "oid");
            Instant issuedAt = issuedAt(claims);
            List<String> groups = IdTokenVerifier.groups(claims);
            String source;
            if (groups != null) {
                source = "claim";
            } else if (IdTokenVerifier.groupsOverage(claims)) {
                source = "overage";
                groups = graphGroups.groupsOf(tenant, userId).orElseThrow(() -> ProblemException.unprocessable(
                        List.of(new FieldError("idToken", "Entra does not know user '" + userId + "' (groups overage)"))));
            } else {
                source = "none";
                groups = List.of();
            }
            Result result = apply(tenant, userId, Set.copyOf(groups), issuedAt, runIdOf(claims), source);
            outcome = source;
            return result;
        } finally {
            metrics.loginSync(tenant, outcome, System.nanoTime() - started);
        }
    }

    private Result apply(String tenant, String userId, Set<String> groups, Instant observedAt, String runId, String source) {
        UserRef user = new UserRef(tenant, userId);
        Cause cause = new Cause(runId, 0, observedAt);
        record Applied(List<AssignmentChange> changes, UserRolesView roles) {
        }
        Applied applied = transactions.inTransaction("login-sync", c -> {
            UserLocks.lock(c, List.of(user));
            Set<String> current = new LinkedHashSet<>();
            try (PreparedStatement q = c.prepareStatement("""
                    select group_id from group_members where tenant_id = ? and member_id = ? and member_type = 'user'""")) {
                q.setString(1, tenant);
                q.setString(2, userId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        current.add(rs.getString(1));
                    }
                }
            }
            Set<String> direct = directGroups(c, tenant, groups, current);
            List<MembershipChange> memberships = new ArrayList<>();
            direct.stream().sorted().forEach(g ->
                    memberships.add(new MembershipChange(tenant, g, userId, MembershipChange.USER, true, observedAt)));
            current.stream().filter(g -> !groups.contains(g)).sorted().forEach(g ->
                    memberships.add(new MembershipChange(tenant, g, userId, MembershipChange.USER, false, observedAt)));
            UserStateWriter.write(c, List.of(new UserObservation(tenant, userId, false, true, observedAt)));
            MembershipWriter.write(c, memberships);
            List<AssignmentChange> changes = reconciler.reconcile(c, Map.of(user, cause));
            return new Applied(changes, UserRolesQuery.read(c, tenant, userId));
        });
        metrics.changed(applied.changes());
        if (!applied.changes().isEmpty()) {
            relay.flushOrLeaveToSchedule();
        }
        return new Result(tenant, userId, source, groups.size(), applied.changes().size(), applied.roles());
    }

    /**
     * The user's direct groups according to a token whose {@code groups} are transitive (Entra puts every
     * security group the user is in, through nesting too): the stored direct groups the token still lists,
     * plus every listed group none of whose stored member groups is listed — a group the user can only be
     * in directly. A listed group with a listed member group is explained by nesting and not stored as a
     * direct membership, so the stored edges stay the directory's and {@code direct} mode counts only direct
     * memberships on both paths. For the same directory state (the store's edges and direct memberships
     * are Entra's) this is exactly Entra's direct set; one statement.
     */
    private static Set<String> directGroups(java.sql.Connection c, String tenant, Set<String> listed, Set<String> stored)
            throws java.sql.SQLException {
        Set<String> direct = new java.util.TreeSet<>(listed);
        if (listed.isEmpty()) {
            return direct;
        }
        try (PreparedStatement q = c.prepareStatement("""
                select distinct m.group_id from group_members m
                where m.tenant_id = ? and m.member_type = 'group' and m.group_id = any (?) and m.member_id = any (?)""")) {
            java.sql.Array ids = c.createArrayOf("text", listed.toArray());
            q.setString(1, tenant);
            q.setArray(2, ids);
            q.setArray(3, ids);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String explained = rs.getString(1);
                    if (!stored.contains(explained)) {
                        direct.remove(explained);
                    }
                }
            }
        }
        return direct;
    }

    private static String runIdOf(JwtClaims claims) {
        try {
            String jti = claims.getJwtId();
            return "login-sync:" + (jti == null ? UUID.randomUUID() : jti);
        } catch (MalformedClaimException e) {
            return "login-sync:" + UUID.randomUUID();
        }
    }

    private static Instant issuedAt(JwtClaims claims) {
        try {
            return Instant.ofEpochSecond(claims.getIssuedAt().getValue());
        } catch (MalformedClaimException e) {
            throw ProblemException.unprocessable(List.of(new FieldError("idToken", "the token's 'iat' is not a number")));
        }
    }

    private static String claimText(JwtClaims claims, String name) {
        Object value = claims.getClaimValue(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw ProblemException.unprocessable(List.of(new FieldError("idToken", "the token has no '" + name + "' claim")));
        }
        return text;
    }
}
