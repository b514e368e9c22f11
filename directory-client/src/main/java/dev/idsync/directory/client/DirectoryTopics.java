package dev.idsync.directory.client;

import dev.idsync.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The names of the topics the client reads. {@link #DEFAULT} are idsync's (docs/CONTRACT.md); another set
 * is for a cluster that names them differently (a prefix per environment) or for tests with topics of
 * their own.
 */
public record DirectoryTopics(String users, String groups, String memberships, String directoryRoles,
        String roleAssignments) {

    /** {@link Topics#USERS}, {@link Topics#GROUPS}, {@link Topics#MEMBERSHIPS}, {@link Topics#DIRECTORY_ROLES}, {@link Topics#ROLE_ASSIGNMENTS}. */
    public static final DirectoryTopics DEFAULT = new DirectoryTopics(Topics.USERS, Topics.GROUPS, Topics.MEMBERSHIPS,
            Topics.DIRECTORY_ROLES, Topics.ROLE_ASSIGNMENTS);

    public DirectoryTopics {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(memberships, "memberships");
        Objects.requireNonNull(directoryRoles, "directoryRoles");
        Objects.requireNonNull(roleAssignments, "roleAssignments");
    }

    /** What a topic holds; also the order in which a bootstrap applies them (objects before their memberships). */
    enum Kind {
        USERS, GROUPS, DIRECTORY_ROLES, MEMBERSHIPS, ROLE_ASSIGNMENTS
    }

    /** The topics to read: the four directory topics, and the role assignments if asked for. */
    List<String> toRead(boolean withRoleAssignments) {
        List<String> names = new ArrayList<>(List.of(users, groups, memberships, directoryRoles));
        if (withRoleAssignments) {
            names.add(roleAssignments);
        }
        return List.copyOf(names);
    }

    Kind kindOf(String topic) {
        if (topic.equals(users)) {
            return Kind.USERS;
        }
        if (topic.equals(groups)) {
            return Kind.GROUPS;
        }
        if (topic.equals(memberships)) {
            return Kind.MEMBERSHIPS;
        }
        if (topic.equals(directoryRoles)) {
            return Kind.DIRECTORY_ROLES;
        }
        if (topic.equals(roleAssignments)) {
            return Kind.ROLE_ASSIGNMENTS;
        }
        throw new IllegalArgumentException("not one of " + this + ": " + topic);
    }
}
