package dev.idsync.processor.store;

import dev.idsync.events.DeletionDecision;
import dev.idsync.events.DeletionsDecided;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.Membership;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.Removal;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What one transaction decided, as the events the public topics get, in the order the store changed:
 * they go to the outbox in that transaction (docs/DESIGN.md invariant 11). Each event carries the tenant,
 * the object, and the run, epoch and {@code observedAt} of the observation (or deletion) that decided it.
 */
public final class Decided {

    /** The {@code objectId} of a gate decision about deletions outside any run. */
    public static final String OUTSIDE_RUN = "outside-run";

    private final List<SyncEvent> events = new ArrayList<>();

    public List<SyncEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The full stored object of a user, group or directory role; other kinds are never published. */
    void upserted(ObjectKind kind, String tenantId, String objectId, String runId, long epoch, Instant observedAt,
            Map<String, Object> attributes) {
        switch (kind) {
            case USER -> events.add(new UserUpserted(tenantId, objectId, runId, epoch, observedAt, attributes));
            case GROUP -> events.add(new GroupUpserted(tenantId, objectId, runId, epoch, observedAt, attributes));
            case DIRECTORY_ROLE -> events.add(new DirectoryRoleUpserted(tenantId, objectId, runId, epoch, observedAt,
                    attributes));
            default -> { } // members seen only as references: placeholders, not published
        }
    }

    /** An applied deletion; {@code decidedBy} names the admin who approved a held one, else null. */
    void removed(ObjectKind kind, String tenantId, String objectId, String runId, long epoch, Instant observedAt,
            RemovalReason reason, String decidedBy) {
        Removal removal = new Removal(reason, decidedBy);
        switch (kind) {
            case USER -> events.add(new UserRemoved(tenantId, objectId, runId, epoch, observedAt, removal));
            case GROUP -> events.add(new GroupRemoved(tenantId, objectId, runId, epoch, observedAt, removal));
            case DIRECTORY_ROLE -> events.add(new DirectoryRoleRemoved(tenantId, objectId, runId, epoch, observedAt,
                    removal));
            default -> { }
        }
    }

    /** A membership whose {@code present} changed (a group's, or a directory role's). */
    void membership(ObjectKind containerKind, boolean present, String tenantId, String containerId, String memberId,
            ObjectKind memberType, String runId, long epoch, Instant observedAt) {
        Membership member = new Membership(memberId, memberType.memberType());
        if (containerKind == ObjectKind.DIRECTORY_ROLE) {
            events.add(present
                    ? new DirectoryRoleMemberAdded(tenantId, containerId, runId, epoch, observedAt, member)
                    : new DirectoryRoleMemberRemoved(tenantId, containerId, runId, epoch, observedAt, member));
        } else {
            events.add(present
                    ? new MembershipAdded(tenantId, containerId, runId, epoch, observedAt, member)
                    : new MembershipRemoved(tenantId, containerId, runId, epoch, observedAt, member));
        }
    }

    /** A decision of the accidental-delete gate about a run's deletions (or those outside any run). */
    void gateDecision(DeletionGate.RunKey run, long epoch, Instant observedAt, DeletionDecision decision) {
        boolean outside = run.runId().isEmpty();
        events.add(new DeletionsDecided(run.tenantId(), outside ? OUTSIDE_RUN : run.runId(),
                outside ? null : run.runId(), epoch, observedAt, decision));
    }
}
