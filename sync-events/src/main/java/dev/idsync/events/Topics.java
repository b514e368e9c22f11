package dev.idsync.events;

import java.util.List;

/**
 * Names of idsync's Kafka topics (CONTRACT.md). Two layers, as docs/DESIGN.md explains:
 * <ul>
 *   <li><b>Graph observations</b> (internal): what Graph said, published by graph-poller (and
 *       profile-writer's confirmed re-reads), read by delta-processor and the audit only.</li>
 *   <li><b>Directory topics</b> (public API, compacted): what idsync decided, published by
 *       delta-processor in step with its store; role-mapper and every other subscriber read these.</li>
 * </ul>
 * The version suffix is the compatibility boundary: within a version only additive changes are
 * allowed; a breaking change (a key, a cleanup policy, a meaning) gets a new topic.
 */
public final class Topics {

    /**
     * Internal: every observation of a tenant (users, groups, memberships, directory roles and their
     * members, and the run markers {@code syncrun.started/completed/failed}) keyed by the tenant id alone,
     * so one tenant's observations are totally ordered in one partition and a run's end marker always
     * follows every page of the run. Not a public API: its event shapes may change with idsync.
     */
    public static final String GRAPH_OBSERVATIONS = "idsync.graph.observations.v1";

    /** Public, compacted: each user's current state (full object) or its removal, key {@code <tenantId>:<userId>}. */
    public static final String USERS = "idsync.directory.users.v2";
    /** Public, compacted: each group's current state or its removal, key {@code <tenantId>:<groupId>}. */
    public static final String GROUPS = "idsync.directory.groups.v2";
    /**
     * Public, compacted: each membership's current state (added or removed), key
     * {@code <tenantId>:<groupId>:<memberId>}, so compaction keeps every membership's last word.
     */
    public static final String MEMBERSHIPS = "idsync.directory.memberships.v2";
    /**
     * Public, compacted: directory roles (key {@code <tenantId>:<roleId>}) and their members (key
     * {@code <tenantId>:<roleId>:<memberId>}).
     */
    public static final String DIRECTORY_ROLES = "idsync.directory.roles.v2";
    /** Public: run lifecycle and the deletion gate's decisions, keyed by run {@code <tenantId>:<runId>}. */
    public static final String SYNC_RUNS = "idsync.sync.runs.v1";
    /**
     * Internal: output of a dry run, the observations a run would have published, kept apart so no
     * consumer of the real topics acts on them.
     */
    public static final String DRY_RUN = "idsync.sync.dryrun.v1";
    /**
     * Public, compacted: each role assignment's current state (granted or revoked), key
     * {@code <tenantId>:<userId>:<role>:<source>:<groupId>} (groupId empty for the default and manual roles).
     */
    public static final String ROLE_ASSIGNMENTS = "idsync.app.role-assignments.v2";
    public static final String PROFILE_CHANGES = "idsync.profile.changes.v1";

    /** The public directory topics: what idsync decided, compacted. */
    public static final List<String> DIRECTORY = List.of(USERS, GROUPS, MEMBERSHIPS, DIRECTORY_ROLES);

    /** Topics with {@code cleanup.policy=compact}: a subscriber reading them from offset 0 gets the current state. */
    public static final List<String> COMPACTED = List.of(USERS, GROUPS, MEMBERSHIPS, DIRECTORY_ROLES, ROLE_ASSIGNMENTS);

    public static final List<String> ALL = List.of(
            GRAPH_OBSERVATIONS, USERS, GROUPS, MEMBERSHIPS, DIRECTORY_ROLES, SYNC_RUNS, DRY_RUN, ROLE_ASSIGNMENTS,
            PROFILE_CHANGES);

    private static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    /** Whether {@code topic} is compacted (see {@link #COMPACTED}). */
    public static boolean compacted(String topic) {
        return COMPACTED.contains(topic);
    }

    /** The dead-letter topic of {@code topic}: it receives the original record plus an error header. */
    public static String dlq(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return topic + DLQ_SUFFIX;
    }
}
