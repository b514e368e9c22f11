package dev.idsync.roles.mapping;

import dev.idsync.roles.UserRef;
import dev.idsync.roles.assignment.Assignment;
import dev.idsync.roles.assignment.AssignmentChange;
import dev.idsync.roles.assignment.AssignmentStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a mapping change does to users, per role: who gains a role they did not hold at all and who loses
 * one they then hold no longer (a role still held through another group, manually or by default is neither),
 * computed from the row changes of the reconciliation, in its transaction. {@code digest} identifies the
 * exact set of row changes for the mappings, so a save can insist on applying what was simulated.
 *
 * @param gains             (user, role) pairs that start holding the role, sorted by user then role
 * @param losses            (user, role) pairs that stop holding it
 * @param changedAssignments row changes (what {@code PUT} reports and publishes as events)
 */
public record MappingEffect(List<RoleChange> gains, List<RoleChange> losses, int changedAssignments, int users,
        String digest) {

    /** One user gaining or losing one role; {@code groupId}/{@code path}: the assignment that grants it, if a group. */
    public record RoleChange(String userId, String role, String change, String groupId, List<String> path) {
    }

    static final Comparator<RoleChange> ORDER = Comparator.comparing(RoleChange::userId).thenComparing(RoleChange::role);

    public static MappingEffect of(Connection c, List<AssignmentChange> changes, String document) throws SQLException {
        Set<UserRef> users = new LinkedHashSet<>();
        changes.forEach(ch -> users.add(ch.user()));
        // After: what the transaction now holds. Before: the same, with the grants taken back and the revocations restored.
        Map<UserRef, Map<String, Assignment>> after = AssignmentStore.assignments(c, users, null);
        List<RoleChange> gains = new ArrayList<>();
        List<RoleChange> losses = new ArrayList<>();
        Map<UserRef, List<AssignmentChange>> byUser = new HashMap<>();
        changes.forEach(ch -> byUser.computeIfAbsent(ch.user(), k -> new ArrayList<>()).add(ch));
        for (UserRef user : users) {
            Map<String, Assignment> now = after.getOrDefault(user, Map.of());
            Map<String, Assignment> before = new HashMap<>(now);
            for (AssignmentChange ch : byUser.get(user)) {
                if (ch.granted() && !ch.regrant()) {
                    before.remove(ch.assignment().slot());
                }
            }
            for (AssignmentChange ch : byUser.get(user)) {
                if (!ch.granted()) {
                    before.put(ch.assignment().slot(), ch.assignment());
                }
            }
            Set<String> rolesBefore = roles(before.values());
            Set<String> rolesAfter = roles(now.values());
            for (String role : rolesAfter) {
                if (!rolesBefore.contains(role)) {
                    Assignment why = now.values().stream().filter(a -> a.role().equals(role)).findFirst().orElseThrow();
                    gains.add(new RoleChange(user.userId(), role, "gain", blankToNull(why.groupId()), why.path()));
                }
            }
            for (String role : rolesBefore) {
                if (!rolesAfter.contains(role)) {
                    Assignment was = before.values().stream().filter(a -> a.role().equals(role)).findFirst().orElseThrow();
                    losses.add(new RoleChange(user.userId(), role, "lose", blankToNull(was.groupId()), null));
                }
            }
        }
        gains.sort(ORDER);
        losses.sort(ORDER);
        return new MappingEffect(gains, losses, changes.size(), users.size(), digest(document, changes));
    }

    private static Set<String> roles(java.util.Collection<Assignment> assignments) {
        Set<String> roles = new HashSet<>();
        assignments.forEach(a -> roles.add(a.role()));
        return roles;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** SHA-256 over the mappings document and the sorted row changes: equal iff saving would do the same. */
    static String digest(String document, List<AssignmentChange> changes) {
        Set<String> lines = new TreeSet<>();
        for (AssignmentChange ch : changes) {
            Assignment a = ch.assignment();
            lines.add(ch.user().tenantId() + "\u0000" + ch.user().userId() + "\u0000" + (ch.granted() ? "+" : "-") + a.slot()
                    + "\u0000" + a.accessLevel() + "\u0000" + a.path());
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(document.getBytes(StandardCharsets.UTF_8));
            for (String line : lines) {
                sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
