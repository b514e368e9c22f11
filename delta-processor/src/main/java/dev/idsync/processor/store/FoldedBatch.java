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
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One poll batch folded into the row changes it adds up to: one upsert per object, one state per
 * membership, the removals (which go through the deletion gate) and the run events, in order.
 *
 * <p>Why fold: PostgreSQL refuses an upsert that touches one row twice in a statement, and one change
 * per row is all the store needs. Within a batch an event older than what was folded so far is ignored,
 * as the store would ignore it, except for the epoch it was seen in: an object or membership observed in
 * an epoch was seen in it, however old the observation (docs/DESIGN.md invariant 12).
 */
final class FoldedBatch {

    /**
     * An object's upserts in this batch: attributes accumulate, since a delta may carry only changes
     * ({@link #attributes}, what the dry run stages); the store merges {@link #observations} one by one
     * against its stored row, so that each is judged against what the store holds at that point.
     */
    static final class Upsert {
        final String tenantId;
        final String objectId;
        final ObjectKind kind;
        final Map<String, Object> attributes = new LinkedHashMap<>();
        final List<Observation> observations = new ArrayList<>();
        Instant observedAt;
        String runId;
        long epoch;

        Upsert(String tenantId, String objectId, ObjectKind kind) {
            this.tenantId = tenantId;
            this.objectId = objectId;
            this.kind = kind;
        }
    }

    /** One observation of an object: exactly the attributes Graph sent, under Graph's names. */
    record Observation(Map<String, Object> attributes, Instant observedAt, String runId, long epoch) {
    }

    record Removal(String tenantId, String runId, String objectId, ObjectKind kind, String reason,
            Instant observedAt, long epoch) {
    }

    /** A membership's newest state in the batch; {@code seenEpoch} the greatest epoch any observation of it had. */
    record MembershipChange(String tenantId, String containerId, ObjectKind containerKind, String memberId,
            ObjectKind memberType, boolean present, Instant observedAt, String runId, long epoch, long seenEpoch) {
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
        folded.observations.add(new Observation(data, event.observedAt(), event.runId(), event.epoch()));
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
        long seenEpoch = previous == null ? event.epoch() : Math.max(previous.seenEpoch(), event.epoch());
        if (previous != null && event.observedAt().isBefore(previous.observedAt())) {
            memberships.put(key, new MembershipChange(previous.tenantId(), previous.containerId(),
                    previous.containerKind(), previous.memberId(), previous.memberType(), previous.present(),
                    previous.observedAt(), previous.runId(), previous.epoch(), seenEpoch));
            return;
        }
        memberships.put(key, new MembershipChange(event.tenantId(), event.objectId(), containerKind,
                member.memberId(), ObjectKind.of(member.memberType()), present, event.observedAt(),
                event.runId(), event.epoch(), seenEpoch));
    }

    /** The batch's tenants in a fixed order, so two transactions lock them in the same order. */
    SortedSet<String> tenants() {
        SortedSet<String> tenants = new TreeSet<>();
        upserts.values().forEach(u -> tenants.add(u.tenantId));
        removals.forEach(r -> tenants.add(r.tenantId()));
        memberships.values().forEach(m -> tenants.add(m.tenantId()));
        runEvents.forEach(e -> tenants.add(e.tenantId()));
        return tenants;
    }

    int applied() {
        return upserts.size() + removals.size() + memberships.size() + runEvents.size();
    }
}
