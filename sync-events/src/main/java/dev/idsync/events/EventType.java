package dev.idsync.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every CloudEvents {@code type} idsync publishes, with the topic it normally goes to and the record
 * that carries it. The type strings are part of the public contract (CONTRACT.md) and never change
 * within a version: the removed types are {@code .v2} since their {@code reason} gained
 * {@code notSeenInFullSync} (and {@code decidedBy}).
 */
public enum EventType {
    USER_UPSERTED("dev.idsync.user.upserted.v1", Topics.USERS, UserUpserted.class),
    USER_REMOVED("dev.idsync.user.removed.v2", Topics.USERS, UserRemoved.class),
    GROUP_UPSERTED("dev.idsync.group.upserted.v1", Topics.GROUPS, GroupUpserted.class),
    GROUP_REMOVED("dev.idsync.group.removed.v2", Topics.GROUPS, GroupRemoved.class),
    MEMBERSHIP_ADDED("dev.idsync.membership.added.v1", Topics.MEMBERSHIPS, MembershipAdded.class),
    MEMBERSHIP_REMOVED("dev.idsync.membership.removed.v1", Topics.MEMBERSHIPS, MembershipRemoved.class),
    DIRECTORY_ROLE_UPSERTED("dev.idsync.directoryrole.upserted.v1", Topics.DIRECTORY_ROLES, DirectoryRoleUpserted.class),
    DIRECTORY_ROLE_REMOVED("dev.idsync.directoryrole.removed.v2", Topics.DIRECTORY_ROLES, DirectoryRoleRemoved.class),
    DIRECTORY_ROLE_MEMBER_ADDED("dev.idsync.directoryrole.member-added.v1", Topics.DIRECTORY_ROLES,
            DirectoryRoleMemberAdded.class),
    DIRECTORY_ROLE_MEMBER_REMOVED("dev.idsync.directoryrole.member-removed.v1", Topics.DIRECTORY_ROLES,
            DirectoryRoleMemberRemoved.class),
    SYNC_RUN_STARTED("dev.idsync.syncrun.started.v1", Topics.SYNC_RUNS, SyncRunStarted.class),
    SYNC_RUN_COMPLETED("dev.idsync.syncrun.completed.v1", Topics.SYNC_RUNS, SyncRunCompleted.class),
    SYNC_RUN_FAILED("dev.idsync.syncrun.failed.v1", Topics.SYNC_RUNS, SyncRunFailed.class),
    ROLE_ASSIGNMENT_GRANTED("dev.idsync.roleassignment.granted.v1", Topics.ROLE_ASSIGNMENTS, RoleAssignmentGranted.class),
    ROLE_ASSIGNMENT_REVOKED("dev.idsync.roleassignment.revoked.v1", Topics.ROLE_ASSIGNMENTS, RoleAssignmentRevoked.class),
    PROFILE_UPDATED("dev.idsync.profile.updated.v1", Topics.PROFILE_CHANGES, ProfileUpdated.class),
    PROFILE_UPDATE_REJECTED("dev.idsync.profile.update-rejected.v1", Topics.PROFILE_CHANGES, ProfileUpdateRejected.class),
    DELETIONS_DECIDED("dev.idsync.deletions.decided.v1", Topics.SYNC_RUNS, DeletionsDecided.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    private final String type;
    private final String topic;
    private final Class<? extends SyncEvent> payloadClass;

    EventType(String type, String topic, Class<? extends SyncEvent> payloadClass) {
        this.type = type;
        this.topic = topic;
        this.payloadClass = payloadClass;
    }

    /** The CloudEvents {@code type} attribute ({@code ce_type} header). */
    public String type() {
        return type;
    }

    /**
     * The public topic this event type is published to. Directory types also travel, as what Graph said,
     * on {@link Topics#GRAPH_OBSERVATIONS} (and a dry run's on {@link Topics#DRY_RUN}).
     */
    public String topic() {
        return topic;
    }

    /** The record that carries this event type; {@link EventJson#read} binds the JSON body to it. */
    public Class<? extends SyncEvent> payloadClass() {
        return payloadClass;
    }

    /** Empty for a type this version does not know (a newer producer): see {@link UnrecognizedEvent}. */
    public static Optional<EventType> fromType(String type) {
        return Optional.ofNullable(type).map(BY_TYPE::get);
    }
}
