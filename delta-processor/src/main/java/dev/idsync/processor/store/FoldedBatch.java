package dev.idsync.processor.store;

import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.Membership;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One poll batch folded into the row changes it adds up to: one upsert per object, one state per
 * membership, the removals (which go through the deletion gate) and the run events, in order.
 *
 * <p>Why fold: PostgreSQL refuses an upsert that touches one row twice in a statement, and one change
 * per row is all the store needs. Within a batch an event older than what was folded so far is ignored,
 * as the store would ignore it.
 */
final class FoldedBatch {

    /** An object's upserts in this batch: attributes accumulate, since a delta may carry only changes. */
    static final class Upsert {
        final String tenantId;
        final String objectId;
        final ObjectKind kind;
        final Map<String, Object> attributes = new LinkedHashMap<>();
        Instant observedAt;
        String runId;
        long epoch;

        Upsert(String tenantId, String objectId, ObjectKind kind) {
            this.tenantId = tenantId;
            this.objectId = objectId;
            this.kind = kind;
        }
    }

    record Removal(String tenantId, String runId, String objectId, ObjectKind kind, String reason,
            Instant observedAt, long epoch) {
    }

    record MembershipChange(String tenantId, String containerId, ObjectKind containerKind, String memberId,
            ObjectKind memberType, boolean present, Instant observedAt, String runId, long epoch) {
    }

    final Map<String, Upsert> upserts = new LinkedHashMap<>();
    final List<Removal> removals = new ArrayList<>();
    final Map<String, MembershipChange> memberships = new LinkedHashMap<>();
    final List<SyncEvent> runEvents = new ArrayList<>();
    int ignored;

    static FoldedBatch of(List<SyncEvent> events) {
        FoldedBatch batch = new FoldedBatch();
        events.forEach(batch::add);
        return batch;
    }

    private void add(SyncEvent event) {
        switch (event) {
            case UserUpserted e -> upsert(e, ObjectKind.USER, e.data());
            case GroupUpserted e -> upsert(e, ObjectKind.GROUP, e.data());
            case DirectoryRoleUpserted e -> upsert(e, ObjectKind.DIRECTORY_ROLE, e.data());
            case UserRemoved e -> removal(e, ObjectKind.USER, e.data().reason().json());
            case GroupRemoved e -> removal(e, ObjectKind.GROUP, e.data().reason().json());
            case DirectoryRoleRemoved e -> removal(e, ObjectKind.DIRECTORY_ROLE, e.data().reason().json());
            case MembershipAdded e -> membership(e, ObjectKind.GROUP, e.data(), true);
            case MembershipRemoved e -> membership(e, ObjectKind.GROUP, e.data(), false);
            case DirectoryRoleMemberAdded e -> membership(e, ObjectKind.DIRECTORY_ROLE, e.data(), true);
            case DirectoryRoleMemberRemoved e -> membership(e, ObjectKind.DIRECTORY_ROLE, e.data(), false);
            case SyncRunStarted e -> runEvents.add(e);
            case SyncRunCompleted e -> runEvents.add(e);
            case SyncRunFailed e -> runEvents.add(e);
            // Not the store's business (role assignments, profile events) or a type a newer producer
            // added: skipped and committed, never a stalled partition (UnrecognizedEvent's contract).
            default -> ignored++;
        }
    }

    private void upsert(SyncEvent event, ObjectKind kind, Map<String, Object> data) {
        Upsert folded = upserts.computeIfAbsent(event.key(), k -> new Upsert(event.tenantId(), event.objectId(), kind));
        if (folded.observedAt != null && event.observedAt().isBefore(folded.observedAt)) {
            return;
        }
        folded.attributes.putAll(data);
        folded.observedAt = event.observedAt();
        folded.runId = event.runId();
        folded.epoch = event.epoch();
    }

    private void removal(SyncEvent event, ObjectKind kind, String reason) {
        removals.add(new Removal(event.tenantId(), event.runId(), event.objectId(), kind, reason,
                event.observedAt(), event.epoch()));
    }

    private void membership(SyncEvent event, ObjectKind containerKind, Membership member, boolean present) {
        String key = event.tenantId() + '\n' + event.objectId() + '\n' + member.memberId();
        MembershipChange previous = memberships.get(key);
        if (previous != null && event.observedAt().isBefore(previous.observedAt())) {
            return;
        }
        memberships.put(key, new MembershipChange(event.tenantId(), event.objectId(), containerKind,
                member.memberId(), ObjectKind.of(member.memberType()), present, event.observedAt(),
                event.runId(), event.epoch()));
    }

    int applied() {
        return upserts.size() + removals.size() + memberships.size() + runEvents.size();
    }
}
