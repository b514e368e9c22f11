package dev.idsync.directory.client;

import java.util.ArrayList;
import java.util.List;

/** Writes every callback down as a line, e.g. {@code userUpserted u1 {displayName=Ada}}; readable from any thread. */
class RecordingListener implements DirectoryListener {

    private final List<String> calls = new ArrayList<>();
    private final List<SkippedRecord> skipped = new ArrayList<>();

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The calls up to {@code caughtUp} (excluded): what the bootstrap reported. */
    synchronized List<String> bootstrapCalls() {
        int end = calls.indexOf("caughtUp");
        return end < 0 ? List.of() : List.copyOf(calls.subList(0, end));
    }

    /** The calls after {@code caughtUp}: what following reported. */
    synchronized List<String> followCalls() {
        int end = calls.indexOf("caughtUp");
        return end < 0 ? List.of() : List.copyOf(calls.subList(end + 1, calls.size()));
    }

    synchronized List<SkippedRecord> skipped() {
        return List.copyOf(skipped);
    }

    private synchronized void add(String call) {
        calls.add(call);
    }

    @Override
    public void userUpserted(DirectoryObject user) {
        add("userUpserted " + user.id() + " " + user.attributes());
    }

    @Override
    public void userRemoved(DirectoryObject user) {
        add("userRemoved " + user.id() + " " + user.removalReason().orElseThrow().json());
    }

    @Override
    public void groupUpserted(DirectoryObject group) {
        add("groupUpserted " + group.id());
    }

    @Override
    public void groupRemoved(DirectoryObject group) {
        add("groupRemoved " + group.id() + " " + group.removalReason().orElseThrow().json());
    }

    @Override
    public void directoryRoleUpserted(DirectoryObject role) {
        add("directoryRoleUpserted " + role.id());
    }

    @Override
    public void membershipAdded(Member member) {
        add("membershipAdded " + member.containerId() + "/" + member.memberId());
    }

    @Override
    public void membershipRemoved(Member member) {
        add("membershipRemoved " + member.containerId() + "/" + member.memberId());
    }

    @Override
    public void directoryRoleMemberAdded(Member member) {
        add("directoryRoleMemberAdded " + member.containerId() + "/" + member.memberId());
    }

    @Override
    public void directoryRoleMemberRemoved(Member member) {
        add("directoryRoleMemberRemoved " + member.containerId() + "/" + member.memberId());
    }

    @Override
    public void roleGranted(RoleGrant grant) {
        add("roleGranted " + grant.userId() + " " + grant.role());
    }

    @Override
    public void roleRevoked(RoleGrant grant) {
        add("roleRevoked " + grant.userId() + " " + grant.role());
    }

    @Override
    public void keyDeleted(String topic, String key) {
        add("keyDeleted " + key.substring(key.indexOf(':') + 1));
    }

    @Override
    public void caughtUp() {
        add("caughtUp");
    }

    @Override
    public synchronized void recordSkipped(SkippedRecord record) {
        skipped.add(record);
    }
}
