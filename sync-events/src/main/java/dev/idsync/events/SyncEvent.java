package dev.idsync.events;

import java.time.Instant;

/**
 * One event on an idsync topic: the JSON body of a Kafka record, whose CloudEvents attributes travel
 * in headers (see {@code dev.idsync.events.kafka.SyncEventSerializer}).
 *
 * <p>The body is always {@code {"tenantId","objectId","runId","epoch","observedAt","data"}}; only the
 * type of {@code data} differs between event types. The hierarchy is sealed so a {@code switch} over
 * an event is checked for exhaustiveness by the compiler; that includes {@link UnrecognizedEvent},
 * which stands for a type a newer producer added and this version does not know.
 */
public sealed interface SyncEvent permits
        UserUpserted, UserRemoved,
        GroupUpserted, GroupRemoved,
        MembershipAdded, MembershipRemoved,
        DirectoryRoleUpserted, DirectoryRoleRemoved, DirectoryRoleMemberAdded, DirectoryRoleMemberRemoved,
        SyncRunStarted, SyncRunCompleted, SyncRunFailed,
        RoleAssignmentGranted, RoleAssignmentRevoked,
        ProfileUpdated, ProfileUpdateRejected,
        DeletionsDecided,
        UnrecognizedEvent {

    /** The Entra tenant the object belongs to. */
    String tenantId();

    /**
     * The object the event is about and keyed by: the user, group or directory role; for membership
     * events the <em>group</em> (the member is in {@code data}); for sync-run events the run id; for role
     * assignments and profile events the user.
     */
    String objectId();

    /**
     * The sync run that produced the event, or {@code null} for events outside a run (a manual role
     * assignment, a profile update), which may carry a request id here instead.
     */
    String runId();

    /** The full-sync generation the observation belongs to; a full sync's sweep compares epochs. */
    long epoch();

    /** When Graph said the data was current (its response {@code Date}): older never overwrites newer. */
    Instant observedAt();

    /** The type-specific payload; each record narrows the type. */
    Object data();

    /**
     * The event type, or {@code null} for an {@link UnrecognizedEvent} only (use {@link #ceType()} when
     * any event, known or not, needs its type string).
     */
    default EventType eventType() {
        return switch (this) {
            case UserUpserted e -> EventType.USER_UPSERTED;
            case UserRemoved e -> EventType.USER_REMOVED;
            case GroupUpserted e -> EventType.GROUP_UPSERTED;
            case GroupRemoved e -> EventType.GROUP_REMOVED;
            case MembershipAdded e -> EventType.MEMBERSHIP_ADDED;
            case MembershipRemoved e -> EventType.MEMBERSHIP_REMOVED;
            case DirectoryRoleUpserted e -> EventType.DIRECTORY_ROLE_UPSERTED;
            case DirectoryRoleRemoved e -> EventType.DIRECTORY_ROLE_REMOVED;
            case DirectoryRoleMemberAdded e -> EventType.DIRECTORY_ROLE_MEMBER_ADDED;
            case DirectoryRoleMemberRemoved e -> EventType.DIRECTORY_ROLE_MEMBER_REMOVED;
            case SyncRunStarted e -> EventType.SYNC_RUN_STARTED;
            case SyncRunCompleted e -> EventType.SYNC_RUN_COMPLETED;
            case SyncRunFailed e -> EventType.SYNC_RUN_FAILED;
            case RoleAssignmentGranted e -> EventType.ROLE_ASSIGNMENT_GRANTED;
            case RoleAssignmentRevoked e -> EventType.ROLE_ASSIGNMENT_REVOKED;
            case ProfileUpdated e -> EventType.PROFILE_UPDATED;
            case ProfileUpdateRejected e -> EventType.PROFILE_UPDATE_REJECTED;
            case DeletionsDecided e -> EventType.DELETIONS_DECIDED;
            case UnrecognizedEvent e -> null;
        };
    }

    /** The CloudEvents {@code type} string ({@code ce_type}), also for an {@link UnrecognizedEvent}. */
    default String ceType() {
        return eventType().type();
    }

    /**
     * The Kafka record key on the public topics (CONTRACT.md): {@code <tenantId>:<objectId>}; for a
     * membership {@code <tenantId>:<containerId>:<memberId>} and for a role assignment
     * {@code <tenantId>:<userId>:<role>:<source>:<groupId>}, so that compaction keeps the last word on
     * each membership and each assignment. Observations are keyed by tenant instead
     * ({@code SyncEventRecords.observation}).
     */
    default String key() {
        return switch (this) {
            case MembershipAdded e -> tenantId() + ":" + objectId() + ":" + e.data().memberId();
            case MembershipRemoved e -> tenantId() + ":" + objectId() + ":" + e.data().memberId();
            case DirectoryRoleMemberAdded e -> tenantId() + ":" + objectId() + ":" + e.data().memberId();
            case DirectoryRoleMemberRemoved e -> tenantId() + ":" + objectId() + ":" + e.data().memberId();
            case RoleAssignmentGranted e -> assignmentKey(tenantId(), objectId(), e.data());
            case RoleAssignmentRevoked e -> assignmentKey(tenantId(), objectId(), e.data());
            default -> tenantId() + ":" + objectId();
        };
    }

    private static String assignmentKey(String tenantId, String userId, RoleAssignment a) {
        return tenantId + ":" + userId + ":" + a.role() + ":" + a.source().json() + ":"
                + (a.groupId() == null ? "" : a.groupId());
    }
}
