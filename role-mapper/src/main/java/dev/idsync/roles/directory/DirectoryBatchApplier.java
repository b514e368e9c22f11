package dev.idsync.roles.directory;

import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;
import dev.idsync.roles.assignment.AssignmentChange;
import dev.idsync.roles.assignment.AssignmentReconciler;
import dev.idsync.roles.db.TenantApplyLock;
import dev.idsync.roles.db.Transactions;
import dev.idsync.roles.metrics.RoleMetrics;
import dev.idsync.roles.nesting.GroupCycles;
import dev.idsync.roles.nesting.UsersBelow;
import dev.idsync.roles.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Applies one poll batch of directory events (users, groups, memberships; any mix) in one transaction:
 * first the facts, folded to one statement per object, then the re-evaluation of every user the batch
 * can have changed (members of a renamed or removed group included), then the outbox. The consumer
 * acknowledges the batch only after this returns, so offsets are committed after the transaction.
 *
 * <p>The events are what delta-processor decided (the public {@code idsync.directory.*.v2} topics): full
 * objects, and removals only once its deletion gate let them through. Order is needed per key only: per
 * user, per group and per membership ({@code <tenant>:<group>:<member>}, so one group's memberships are
 * spread over partitions and batches). Every fact is written per row with an {@code observedAt} guard and
 * every user is evaluated from the committed facts under the tenant's apply lock, so nothing here depends
 * on the order of two different memberships, or of a membership and its group or user.
 */
@ApplicationScoped
public class DirectoryBatchApplier {

    private static final Logger LOG = Logger.getLogger(DirectoryBatchApplier.class);

    private final Transactions transactions;
    private final AssignmentReconciler reconciler;
    private final OutboxRelay relay;
    private final RoleMetrics metrics;
    private final IdsyncConfig config;

    DirectoryBatchApplier(Transactions transactions, AssignmentReconciler reconciler, OutboxRelay relay,
            RoleMetrics metrics, IdsyncConfig config) {
        this.transactions = transactions;
        this.reconciler = reconciler;
        this.relay = relay;
        this.metrics = metrics;
        this.config = config;
    }

    public List<AssignmentChange> apply(List<SyncEvent> batch) {
        List<UserObservation> users = new ArrayList<>();
        List<GroupObservation> groups = new ArrayList<>();
        List<MembershipChange> memberships = new ArrayList<>();
        Map<UserRef, Cause> affected = new HashMap<>();
        Map<String, Cause> groupCauses = new HashMap<>();
        List<DirectoryRoleWriter.RoleObservation> directoryRoles = new ArrayList<>();
        List<MembershipChange> directoryRoleMembers = new ArrayList<>();
        Map<String, Cause> directoryRoleCauses = new HashMap<>();
        for (SyncEvent event : batch) {
            if (event == null) {
                // Not readable as an event (the deserializer failed; the connector passes null) or a tombstone.
                LOG.warn("skipping a record that is not a readable idsync event");
                continue;
            }
            Cause cause = new Cause(event.runId(), event.epoch(), event.observedAt());
            switch (event) {
                case UserUpserted u -> {
                    users.add(new UserObservation(u.tenantId(), u.objectId(), false, enabled(u), u.observedAt()));
                    affected.merge(new UserRef(u.tenantId(), u.objectId()), cause, Cause::newer);
                }
                case UserRemoved r -> {
                    // Every reason (softDeleted, hardDeleted, outOfScope, notSeenInFullSync) means the user left the
                    // directory: no federated role, not even the default one. Who approved it (decidedBy) is the
                    // audit's business.
                    users.add(new UserObservation(r.tenantId(), r.objectId(), true, null, r.observedAt()));
                    affected.merge(new UserRef(r.tenantId(), r.objectId()), cause, Cause::newer);
                }
                case GroupUpserted g -> {
                    Object name = g.data().get("displayName");
                    groups.add(new GroupObservation(g.tenantId(), g.objectId(), false,
                            name == null ? null : name.toString(), g.observedAt()));
                    groupCauses.merge(g.tenantId() + ":" + g.objectId(), cause, Cause::newer);
                }
                case GroupRemoved r -> {
                    groups.add(new GroupObservation(r.tenantId(), r.objectId(), true, null, r.observedAt()));
                    groupCauses.merge(r.tenantId() + ":" + r.objectId(), cause, Cause::newer);
                }
                case MembershipAdded m -> membership(m.tenantId(), m.groupId(), m.data().memberId(),
                        m.data().memberType().json(), true, cause, memberships, affected, groupCauses);
                case MembershipRemoved m -> membership(m.tenantId(), m.groupId(), m.data().memberId(),
                        m.data().memberType().json(), false, cause, memberships, affected, groupCauses);
                // Directory roles: only for the optional directory role → application role mapping.
                case DirectoryRoleUpserted r -> {
                    directoryRoles.add(new DirectoryRoleWriter.RoleObservation(r.tenantId(), r.objectId(), false,
                            text(r.data().get("roleTemplateId")), text(r.data().get("displayName")), r.observedAt()));
                    directoryRoleCauses.merge(r.tenantId() + ":" + r.objectId(), cause, Cause::newer);
                }
                case DirectoryRoleRemoved r -> {
                    directoryRoles.add(new DirectoryRoleWriter.RoleObservation(r.tenantId(), r.objectId(), true, null, null,
                            r.observedAt()));
                    directoryRoleCauses.merge(r.tenantId() + ":" + r.objectId(), cause, Cause::newer);
                }
                case DirectoryRoleMemberAdded m -> directoryRoleMember(m.tenantId(), m.roleId(), m.data().memberId(),
                        m.data().memberType().json(), true, cause, directoryRoleMembers, affected);
                case DirectoryRoleMemberRemoved m -> directoryRoleMember(m.tenantId(), m.roleId(), m.data().memberId(),
                        m.data().memberType().json(), false, cause, directoryRoleMembers, affected);
                default -> LOG.debugf("skipping %s: not an event role-mapper uses", event.ceType());
            }
        }
        if (users.isEmpty() && groups.isEmpty() && memberships.isEmpty() && directoryRoles.isEmpty()
                && directoryRoleMembers.isEmpty()) {
            return List.of();
        }
        String runs = batch.stream().filter(e -> e != null && e.runId() != null).map(SyncEvent::runId).distinct()
                .limit(3).reduce((a, b) -> a + "," + b).orElse("");
        String tenants = batch.stream().filter(e -> e != null).map(SyncEvent::tenantId).distinct()
                .limit(3).reduce((a, b) -> a + "," + b).orElse("");
        MDC.put("tenant", tenants);
        MDC.put("runId", runs);
        try {
            List<String> batchTenants = batch.stream().filter(Objects::nonNull).map(SyncEvent::tenantId).distinct().toList();
            List<AssignmentChange> changes = transactions.inTransactionWaitingForTheDatabase("apply directory batch", c -> {
                TenantApplyLock.lock(c, batchTenants);
                UserStateWriter.write(c, UserStateWriter.fold(users));
                GroupWriter.write(c, GroupWriter.fold(groups));
                List<MembershipChange> folded = MembershipWriter.fold(memberships);
                MembershipWriter.write(c, folded);
                GroupCycles.forgetEdges(c, folded.stream().filter(m -> !m.added() && MembershipChange.GROUP.equals(m.memberType()))
                        .map(m -> new String[] {m.tenantId(), m.groupId(), m.memberId()}).toList());
                DirectoryRoleWriter.writeRoles(c, directoryRoles);
                DirectoryRoleWriter.writeMembers(c, directoryRoleMembers);
                Map<UserRef, Cause> toEvaluate = new HashMap<>(affected);
                directoryRoleMembersOf(c, directoryRoleCauses).forEach((user, cause) -> toEvaluate.merge(user, cause, Cause::newer));
                UsersBelow.of(c, groupCauses).forEach((user, cause) -> toEvaluate.merge(user, cause, Cause::newer));
                return reconciler.reconcile(c, toEvaluate);
            });
            metrics.changed(changes);
            if (!changes.isEmpty()) {
                LOG.infof("%d events → %d role assignments changed", batch.size(), changes.size());
                relay.flushOrLeaveToSchedule();
            }
            return changes;
        } finally {
            MDC.remove("tenant");
            MDC.remove("runId");
        }
    }

    /**
     * A user's membership changes that user; a group's (an edge of the nesting) changes every user below the
     * member group, found with the renamed and removed groups' members in one statement ({@link UsersBelow}).
     */
    private static void membership(String tenant, String group, String member, String memberType, boolean added,
            Cause cause, List<MembershipChange> memberships, Map<UserRef, Cause> affected, Map<String, Cause> groupCauses) {
        memberships.add(new MembershipChange(tenant, group, member, memberType, added, cause.observedAt()));
        if (MembershipChange.USER.equals(memberType)) {
            affected.merge(new UserRef(tenant, member), cause, Cause::newer);
        } else if (MembershipChange.GROUP.equals(memberType)) {
            groupCauses.merge(tenant + ":" + member, cause, Cause::newer);
        }
    }

    private static void directoryRoleMember(String tenant, String role, String member, String memberType, boolean added,
            Cause cause, List<MembershipChange> members, Map<UserRef, Cause> affected) {
        members.add(new MembershipChange(tenant, role, member, memberType, added, cause.observedAt()));
        if (MembershipChange.USER.equals(memberType)) {
            affected.merge(new UserRef(tenant, member), cause, Cause::newer);
        }
    }

    /** A renamed or removed directory role changes what its members hold through a directory-role mapping. */
    private static Map<UserRef, Cause> directoryRoleMembersOf(java.sql.Connection c, Map<String, Cause> roles)
            throws java.sql.SQLException {
        Map<UserRef, Cause> members = new HashMap<>();
        if (roles.isEmpty()) {
            return members;
        }
        List<String> tenants = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        roles.keySet().forEach(key -> {
            int colon = key.lastIndexOf(':');
            tenants.add(key.substring(0, colon));
            ids.add(key.substring(colon + 1));
        });
        try (java.sql.PreparedStatement q = c.prepareStatement("""
                select tenant_id, role_id, member_id from directory_role_members
                where (tenant_id, role_id) in (select * from unnest(?::text[], ?::text[]))""")) {
            q.setArray(1, c.createArrayOf("text", tenants.toArray()));
            q.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (java.sql.ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    members.merge(new UserRef(rs.getString(1), rs.getString(3)),
                            roles.get(rs.getString(1) + ":" + rs.getString(2)), Cause::newer);
                }
            }
        }
        return members;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** {@code accountEnabled} under the name the tenant's field mapping gives it; null when not in the event. */
    private Boolean enabled(UserUpserted u) {
        IdsyncConfig.Tenant tenant = config.tenants().get(u.tenantId());
        String key = tenant == null ? "accountEnabled" : tenant.fieldMapping().getOrDefault("accountEnabled", "accountEnabled");
        if (!u.data().containsKey(key)) {
            return null;
        }
        Object value = u.data().get(key);
        return value == null ? null : Boolean.valueOf(value.toString());
    }
}
