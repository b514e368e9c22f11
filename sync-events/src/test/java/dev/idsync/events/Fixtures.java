package dev.idsync.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Realistic events of every type, as the services would publish them. */
public final class Fixtures {

    public static final String TENANT = "7f3c2a9e-1b4d-4e8f-9a6b-2c5d8e1f0a3b";
    public static final String USER = "0b5e8a2c-6f1d-4c3a-9e7b-8d2f4a6c1e90";
    public static final String GROUP = "c4d9e2f1-3a5b-4c6d-8e7f-9a0b1c2d3e4f";
    public static final String ROLE = "62e90394-69f5-4237-9190-012177145e10";
    public static final String RUN = "run-20250304-091500-a1b2";
    public static final long EPOCH = 3;
    /** Graph's {@code Date} header has second precision. */
    public static final Instant OBSERVED = Instant.parse("2025-03-04T09:15:27Z");

    private Fixtures() {
    }

    /** A user's mapped attributes, with a cleared attribute ({@code mobilePhone}) and mixed JSON types. */
    public static Map<String, Object> userAttributes() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("displayName", "Adele Vance");
        attributes.put("userPrincipalName", "AdeleV@contoso.example");
        attributes.put("mail", "AdeleV@contoso.example");
        attributes.put("accountEnabled", true);
        attributes.put("department", "Retail");
        attributes.put("businessPhones", List.of("+1 425 555 0109"));
        attributes.put("mobilePhone", null);
        attributes.put("costCenter", 4711);
        attributes.put("manager", Map.of("id", "5a8c0d2e-77b1-4c0e-a3f4-1d6b9e2c8f07"));
        return attributes;
    }

    public static SyncEvent sample(EventType type) {
        return switch (type) {
            case USER_UPSERTED -> new UserUpserted(TENANT, USER, RUN, EPOCH, OBSERVED, userAttributes());
            case USER_REMOVED -> new UserRemoved(TENANT, USER, RUN, EPOCH, OBSERVED,
                    new Removal(RemovalReason.SOFT_DELETED, "admin@contoso.example"));
            case GROUP_UPSERTED -> new GroupUpserted(TENANT, GROUP, RUN, EPOCH, OBSERVED, Map.of(
                    "displayName", "Retail Managers",
                    "mailNickname", "retail-managers",
                    "securityEnabled", true,
                    "groupTypes", List.of()));
            case GROUP_REMOVED -> GroupRemoved.of(TENANT, GROUP, RUN, EPOCH, OBSERVED, RemovalReason.NOT_SEEN_IN_FULL_SYNC);
            case MEMBERSHIP_ADDED -> MembershipAdded.of(TENANT, GROUP, RUN, EPOCH, OBSERVED, USER, MemberType.USER);
            case MEMBERSHIP_REMOVED -> MembershipRemoved.of(TENANT, GROUP, RUN, EPOCH, OBSERVED,
                    "9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c6d", MemberType.GROUP);
            case DIRECTORY_ROLE_UPSERTED -> new DirectoryRoleUpserted(TENANT, ROLE, RUN, EPOCH, OBSERVED, Map.of(
                    "displayName", "User Administrator",
                    "roleTemplateId", "fe930be7-5e62-47db-91af-98c3a49a38b1"));
            case DIRECTORY_ROLE_REMOVED -> DirectoryRoleRemoved.of(TENANT, ROLE, RUN, EPOCH, OBSERVED,
                    RemovalReason.HARD_DELETED);
            case DIRECTORY_ROLE_MEMBER_ADDED -> DirectoryRoleMemberAdded.of(TENANT, ROLE, RUN, EPOCH, OBSERVED, USER,
                    MemberType.USER);
            case DIRECTORY_ROLE_MEMBER_REMOVED -> DirectoryRoleMemberRemoved.of(TENANT, ROLE, RUN, EPOCH, OBSERVED,
                    "3c2b1a09-8f7e-4d6c-b5a4-3f2e1d0c9b8a", MemberType.SERVICE_PRINCIPAL);
            case SYNC_RUN_STARTED -> new SyncRunStarted(TENANT, RUN, RUN, EPOCH, OBSERVED,
                    new SyncRun(SyncMode.FULL, List.of("users", "groups", "memberships"), Map.of(),
                            "delta token expired (HTTP 410 syncStateNotFound)"));
            case SYNC_RUN_COMPLETED -> new SyncRunCompleted(TENANT, RUN, RUN, EPOCH, OBSERVED,
                    new SyncRun(SyncMode.DELTA, List.of("users", "groups"),
                            Map.of("usersUpserted", 1204L, "usersRemoved", 3L, "pages", 13L), null));
            case SYNC_RUN_FAILED -> new SyncRunFailed(TENANT, RUN, RUN, EPOCH, OBSERVED,
                    new SyncRun(SyncMode.DRY_RUN, List.of("users"), Map.of("usersUpserted", 200L),
                            "Graph returned 503 five times in a row"));
            case ROLE_ASSIGNMENT_GRANTED -> new RoleAssignmentGranted(TENANT, USER, RUN, EPOCH, OBSERVED,
                    new RoleAssignment("store-manager", AssignmentSource.FEDERATED, GROUP, RoleAssignment.EDIT));
            case ROLE_ASSIGNMENT_REVOKED -> new RoleAssignmentRevoked(TENANT, USER, null, EPOCH, OBSERVED,
                    new RoleAssignment("auditor", AssignmentSource.MANUAL, null, null));
            case PROFILE_UPDATED -> {
                Map<String, Object> before = new LinkedHashMap<>();
                before.put("jobTitle", "Sales Associate");
                before.put("mobilePhone", null);
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("jobTitle", "Store Manager");
                after.put("mobilePhone", "+1 425 555 0199");
                yield new ProfileUpdated(TENANT, USER, "req-4f1e", EPOCH, OBSERVED,
                        new ProfileUpdate("admin@contoso.example", before, after));
            }
            case PROFILE_UPDATE_REJECTED -> {
                Map<String, Object> requested = new LinkedHashMap<>();
                requested.put("department", "Finance");
                requested.put("officeLocation", null);
                yield new ProfileUpdateRejected(TENANT, USER, null, EPOCH, OBSERVED,
                        new ProfileRejection("admin@contoso.example", "conflict", 409,
                                "department changed in Entra since it was read", requested));
            }
            case DELETIONS_DECIDED -> new DeletionsDecided(TENANT, RUN, RUN, EPOCH, OBSERVED,
                    new DeletionDecision(DeletionDecision.Decision.APPROVED, 540,
                            Map.of("notSeenInFullSync", 538L, "softDeleted", 2L), 540, "admin@contoso.example"));
        };
    }

    public static List<SyncEvent> all() {
        List<SyncEvent> events = new ArrayList<>();
        for (EventType type : EventType.values()) {
            events.add(sample(type));
        }
        return events;
    }
}
