package dev.idsync.directory.client;

/**
 * Callbacks per change of the replica. Every method has an empty default, so a subscriber implements only
 * what it needs.
 *
 * <p><b>When they are called.</b> During the bootstrap the client reads every topic from offset 0 and keeps
 * each key's last record; when it has read up to the end offsets it found at start, it applies those last
 * records, one callback per key (removals included, so a subscriber with a store of its own learns what
 * left the directory and why), then calls {@link #caughtUp()} once. From then on every record is one
 * callback, in the order of its partition. What a bootstrap reports does not depend on whether compaction
 * has run yet.
 *
 * <p><b>Thread.</b> All callbacks run on the client's poll thread, one at a time, after the replica already
 * shows the change. Return quickly: the client reads nothing meanwhile. An exception thrown by a callback
 * is logged and does not stop the client.
 */
public interface DirectoryListener {

    /** A user was created or changed; {@code user} is the full object. */
    default void userUpserted(DirectoryObject user) {
    }

    /** A user left the directory; {@link DirectoryObject#removalReason()} says why. */
    default void userRemoved(DirectoryObject user) {
    }

    default void groupUpserted(DirectoryObject group) {
    }

    default void groupRemoved(DirectoryObject group) {
    }

    default void directoryRoleUpserted(DirectoryObject role) {
    }

    default void directoryRoleRemoved(DirectoryObject role) {
    }

    /** A member joined a group ({@link Member#containerId()}). */
    default void membershipAdded(Member member) {
    }

    /** A member left a group. */
    default void membershipRemoved(Member member) {
    }

    default void directoryRoleMemberAdded(Member member) {
    }

    default void directoryRoleMemberRemoved(Member member) {
    }

    /** A user was granted an application role (only with {@link DirectoryClientConfig#withRoleAssignments()}). */
    default void roleGranted(RoleGrant grant) {
    }

    default void roleRevoked(RoleGrant grant) {
    }

    /**
     * A tombstone (a record without value) deleted {@code key} from the replica. idsync publishes removals as
     * records of their own, never tombstones; an operator might still write one to clean a topic.
     */
    default void keyDeleted(String topic, String key) {
    }

    /** The bootstrap is complete: the replica holds everything up to the end offsets found at start. */
    default void caughtUp() {
    }

    /** A record was stepped over; the client carries on with the next one. */
    default void recordSkipped(SkippedRecord record) {
    }

    /** The client stopped following because of {@code cause} (e.g. the broker refused its credentials). */
    default void failed(Throwable cause) {
    }
}
