package dev.idsync.events;

import java.util.List;

/**
 * Names of idsync's public Kafka topics (CONTRACT.md). The {@code .v1} suffix is the compatibility
 * boundary: within a version only additive changes are allowed; a breaking change gets a new topic.
 */
public final class Topics {

    public static final String USERS = "idsync.directory.users.v1";
    public static final String GROUPS = "idsync.directory.groups.v1";
    /** Keyed by group, so all membership changes of one group stay ordered in one partition. */
    public static final String MEMBERSHIPS = "idsync.directory.memberships.v1";
    public static final String DIRECTORY_ROLES = "idsync.directory.roles.v1";
    /** Keyed by run: {@code <tenantId>:<runId>}. */
    public static final String SYNC_RUNS = "idsync.sync.runs.v1";
    /**
     * Output of a dry run: the directory events a run would have published, with the same event types
     * and keys as the directory topics, kept apart so no consumer of the real topics acts on them.
     */
    public static final String DRY_RUN = "idsync.sync.dryrun.v1";
    public static final String ROLE_ASSIGNMENTS = "idsync.app.role-assignments.v1";
    public static final String PROFILE_CHANGES = "idsync.profile.changes.v1";

    public static final List<String> ALL = List.of(
            USERS, GROUPS, MEMBERSHIPS, DIRECTORY_ROLES, SYNC_RUNS, DRY_RUN, ROLE_ASSIGNMENTS, PROFILE_CHANGES);

    private static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}: it receives the original record plus an error header. */
    public static String dlq(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return topic + DLQ_SUFFIX;
    }
}
