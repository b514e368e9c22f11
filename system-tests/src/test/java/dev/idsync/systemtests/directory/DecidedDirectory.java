package dev.idsync.systemtests.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.idsync.directory.client.DirectoryObject;
import dev.idsync.directory.client.DirectoryReplica;
import dev.idsync.directory.client.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What idsync decided about one tenant, in one comparable form, built either from delta-processor's store
 * or from a subscriber's replica of the public directory topics (docs/CONTRACT.md: the two must agree).
 * One entry per object and per present membership:
 * <ul>
 *   <li>{@code user <id>} (also {@code group}, {@code directoryRole}) → {@code active <attributes>}, the full
 *       object as canonical JSON (sorted keys, {@code null} kept: an explicit null is not an absent
 *       attribute), or {@code removed <reason>};</li>
 *   <li>{@code member of group <g>: <m>} (also {@code directoryRole}) → the member's type.</li>
 * </ul>
 * In the store an object is removed when it is {@code pendingDeletion}, {@code pendingHardDeletion} or
 * {@code removed}; placeholders (members seen before their own object) are on no topic and not here, their
 * memberships are.
 */
public record DecidedDirectory(String tenantId, Map<String, String> entries) {

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public DecidedDirectory {
        entries = new TreeMap<>(entries);
    }

    /** The tenant's part of the replica: each key's last record, interpreted by directory-client. */
    public static DecidedDirectory fromReplica(DirectoryReplica replica, String tenantId) {
        Map<String, String> entries = new TreeMap<>();
        replica.users(tenantId).values().forEach(o -> entries.put(objectKey("user", o.id()), describe(o)));
        replica.groups(tenantId).values().forEach(o -> entries.put(objectKey("group", o.id()), describe(o)));
        replica.directoryRoles(tenantId).values().forEach(o -> entries.put(objectKey("directoryRole", o.id()), describe(o)));
        for (Member m : replica.memberships(tenantId)) {
            entries.put(memberKey("group", m.containerId(), m.memberId()), m.memberType().json());
        }
        for (Member m : replica.directoryRoleMemberships(tenantId)) {
            entries.put(memberKey("directoryRole", m.containerId(), m.memberId()), m.memberType().json());
        }
        return new DecidedDirectory(tenantId, entries);
    }

    private static String describe(DirectoryObject o) {
        return o.isActive() ? active(o.attributes()) : removed(o.removalReason().orElseThrow().json());
    }

    static String objectKey(String kind, String id) {
        return kind + " " + id;
    }

    static String memberKey(String containerKind, String containerId, String memberId) {
        return "member of " + containerKind + " " + containerId + ": " + memberId;
    }

    static String active(Map<String, Object> attributes) {
        try {
            return "active " + CANONICAL.writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String removed(String reason) {
        return "removed " + reason;
    }

    /** How many users the entries hold, active or removed. */
    public long users() {
        return entries.keySet().stream().filter(k -> k.startsWith("user ")).count();
    }

    /**
     * Every difference to {@code expected} (the first {@code limit} of them, readable), empty when equal;
     * {@code mine} and {@code theirs} name the two sides, e.g. "the replica" and "the store".
     */
    public List<String> differencesTo(DecidedDirectory expected, String mine, String theirs, int limit) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new TreeSet<>(entries.keySet());
        keys.addAll(expected.entries.keySet());
        for (String key : keys) {
            String a = entries.get(key);
            String e = expected.entries.get(key);
            if (!Objects.equals(a, e)) {
                out.add(tenantId + " " + key + ": " + mine + " has " + (a == null ? "nothing" : a) + " but " + theirs
                        + " has " + (e == null ? "nothing" : e));
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }
}
