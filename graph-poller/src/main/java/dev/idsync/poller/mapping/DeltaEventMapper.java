package dev.idsync.poller.mapping;

import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.graph.delta.DeltaItem;
import dev.idsync.graph.delta.MemberDelta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the items of one delta page into observations. Pure: the same page gives the same events, so a page
 * repeated after a crash yields the same {@code ce_id}s (observedAt is not part of the id).
 *
 * <p>An upsert carries exactly the properties Graph sent, under Graph's names (CONTRACT.md, observations): a
 * JSON {@code null} stays {@code null} (Graph says the attribute is empty), an absent property stays absent.
 * Graph answers an update with "at least the updated properties", so filling the rest of the selection with
 * {@code null} would erase attributes that did not change. Properties beyond the selection pass through
 * too. Field mapping is delta-processor's business: it maps what it merges.
 */
public record DeltaEventMapper(String tenantId, String runId, long epoch, Instant observedAt) {

    /** What one page produced: the events, and members of a kind the contract has no name for (skipped). */
    public record Mapped(List<SyncEvent> events, int skippedMembers) {
    }

    public Mapped map(String resource, List<DeltaItem> items) {
        List<SyncEvent> events = new ArrayList<>(items.size() * 2);
        int skipped = 0;
        for (DeltaItem item : items) {
            switch (resource) {
                case "users" -> events.add(user(item));
                case "groups" -> skipped += container(item, events, false);
                case "directoryRoles" -> skipped += container(item, events, true);
                default -> throw new IllegalArgumentException("unknown resource " + resource);
            }
        }
        return new Mapped(events, skipped);
    }

    private SyncEvent user(DeltaItem item) {
        return item.removed().isPresent()
                ? UserRemoved.of(tenantId, item.id(), runId, epoch, observedAt, reason(item))
                : new UserUpserted(tenantId, item.id(), runId, epoch, observedAt, attributes(item));
    }

    /** A group or directory role: the object itself (if the item carries it), then its member changes. */
    private int container(DeltaItem item, List<SyncEvent> events, boolean role) {
        String id = item.id();
        if (item.removed().isPresent()) {
            RemovalReason reason = reason(item);
            events.add(role ? DirectoryRoleRemoved.of(tenantId, id, runId, epoch, observedAt, reason)
                    : GroupRemoved.of(tenantId, id, runId, epoch, observedAt, reason));
            return 0;
        }
        // A big group's members continue in further items with the same id and no properties.
        if (!item.properties().isEmpty()) {
            events.add(role ? new DirectoryRoleUpserted(tenantId, id, runId, epoch, observedAt, attributes(item))
                    : new GroupUpserted(tenantId, id, runId, epoch, observedAt, attributes(item)));
        }
        int skipped = 0;
        for (MemberDelta member : item.membersDelta()) {
            Optional<MemberType> type = MemberType.fromODataType(member.odataType());
            if (type.isEmpty() || member.id() == null) {
                skipped++;
                continue;
            }
            String memberId = member.id();
            MemberType t = type.get();
            if (member.isRemoval()) {
                events.add(role ? DirectoryRoleMemberRemoved.of(tenantId, id, runId, epoch, observedAt, memberId, t)
                        : MembershipRemoved.of(tenantId, id, runId, epoch, observedAt, memberId, t));
            } else {
                events.add(role ? DirectoryRoleMemberAdded.of(tenantId, id, runId, epoch, observedAt, memberId, t)
                        : MembershipAdded.of(tenantId, id, runId, epoch, observedAt, memberId, t));
            }
        }
        return skipped;
    }

    /** Graph's {@code changed} is a soft delete (restorable for 30 days), {@code deleted} is final. */
    private static RemovalReason reason(DeltaItem item) {
        return switch (item.removed().orElseThrow()) {
            case DELETED -> RemovalReason.HARD_DELETED;
            // UNKNOWN stays on the reversible side.
            case CHANGED, UNKNOWN -> RemovalReason.SOFT_DELETED;
        };
    }

    private static Map<String, Object> attributes(DeltaItem item) {
        return new LinkedHashMap<>(item.properties());
    }
}
