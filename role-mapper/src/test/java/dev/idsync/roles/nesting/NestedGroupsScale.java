package dev.idsync.roles.nesting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.roles.assignment.AssignmentChange;
import dev.idsync.roles.directory.DirectoryBatchApplier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Scale of nested-group evaluation, run by hand (not in the suite: the class name matches none of surefire's
 * patterns): {@code ./mvnw -B -pl role-mapper verify -Dtest=NestedGroupsScale -Dscale.groups=10000
 * -Dscale.memberships=1000000}. Builds 3 levels (1% top groups, 9% middle, 90% leaves; four tops are
 * App-Scale-{Admin,User,HR,Accounting}), each middle group in one top, each leaf in one middle group, and users
 * (10 leaf memberships each) filling the rest of the memberships. Feeds them to the applier in poll-sized
 * batches of 500 in delta order (a group's members together), as the memberships consumer would, then times
 * one edge removal (a middle group leaves its top) and one edge addition. Writes target/nested-scale.txt.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class NestedGroupsScale {

    private static final String TENANT = "scale";
    private static final int BATCH = 500;
    private static final int PER_USER = 10;

    @Inject
    DirectoryBatchApplier applier;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void initial_sync_and_one_edge_change_at_scale() throws Exception {
        int groups = Integer.getInteger("scale.groups", 10_000);
        int memberships = Integer.getInteger("scale.memberships", 1_000_000);
        int tops = Math.max(4, groups / 100);
        int mids = Math.max(1, groups * 9 / 100);
        int leaves = groups - tops - mids;
        int groupEdges = mids + leaves;
        int users = (memberships - groupEdges) / PER_USER;
        Random random = new Random(18);
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        String[] roles = {"Admin", "User", "HR", "Accounting"};

        long started = System.nanoTime();
        List<SyncEvent> setup = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String name = g < roles.length ? "App-Scale-" + roles[g] : "Scale-" + g;
            setup.add(new GroupUpserted(TENANT, group(g), "scale", 0, at, Map.of("displayName", name)));
        }
        for (int u = 0; u < users; u++) {
            setup.add(new UserUpserted(TENANT, user(u), "scale", 0, at, Map.of("displayName", "S " + u, "accountEnabled", true)));
        }
        applyInBatches(setup);
        long setupNanos = System.nanoTime() - started;

        // The memberships, in delta order: group by group (edges first: a middle group's, then a leaf's, parents).
        started = System.nanoTime();
        List<SyncEvent> batch = new ArrayList<>(BATCH);
        int applied = 0;
        int changes = 0;
        for (int m = 0; m < mids; m++) {
            batch.add(MembershipAdded.of(TENANT, group(m % tops), "scale", 0, at, group(tops + m), MemberType.GROUP));
            changes += flushIfFull(batch);
        }
        for (int l = 0; l < leaves; l++) {
            batch.add(MembershipAdded.of(TENANT, group(tops + l % mids), "scale", 0, at, group(tops + mids + l), MemberType.GROUP));
            changes += flushIfFull(batch);
        }
        applied += groupEdges;
        // Users: each in PER_USER random leaves; emitted per leaf, as a group's members@delta pages are.
        List<List<Integer>> membersOfLeaf = new ArrayList<>();
        for (int l = 0; l < leaves; l++) {
            membersOfLeaf.add(new ArrayList<>());
        }
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < PER_USER; k++) {
                membersOfLeaf.get(random.nextInt(leaves)).add(u);
            }
        }
        for (int l = 0; l < leaves; l++) {
            for (int u : membersOfLeaf.get(l)) {
                batch.add(MembershipAdded.of(TENANT, group(tops + mids + l), "scale", 0, at, user(u), MemberType.USER));
                applied++;
                changes += flushIfFull(batch);
            }
        }
        changes += flush(batch);
        long syncNanos = System.nanoTime() - started;

        // One edge change: the first middle group leaves App-Scale-Admin, then joins it again.
        long below = count("""
                select count(distinct m.member_id) from roles.group_members m join roles.group_members e
                  on e.tenant_id = m.tenant_id and e.member_id = m.group_id and e.member_type = 'group'
                where m.tenant_id = 'scale' and m.member_type = 'user' and e.group_id = '%s'""".formatted(group(tops)));
        started = System.nanoTime();
        List<AssignmentChange> removed = applier.apply(List.of(
                MembershipRemoved.of(TENANT, group(0), "scale-edge", 0, at.plusSeconds(60), group(tops), MemberType.GROUP)));
        long removeNanos = System.nanoTime() - started;
        started = System.nanoTime();
        List<AssignmentChange> added = applier.apply(List.of(
                MembershipAdded.of(TENANT, group(0), "scale-edge", 0, at.plusSeconds(120), group(tops), MemberType.GROUP)));
        long addNanos = System.nanoTime() - started;

        String report = """
                nested-groups scale: %d groups (%d top, %d middle, %d leaves), %d users, %d memberships (%d group edges)
                setup (groups + users upserted, default role granted): %.1f s
                initial sync's memberships applied in batches of %d: %.1f s (%.0f memberships/s), %d assignment changes
                one edge removed (middle group leaves App-Scale-Admin, %d users below): %.3f s, %d changes (%d revoked, the rest re-granted with another path)
                the same edge added again: %.3f s, %d changes
                load average at the end: %s
                """.formatted(groups, tops, mids, leaves, users, applied, groupEdges, setupNanos / 1e9, BATCH,
                syncNanos / 1e9, applied / (syncNanos / 1e9), changes, below, removeNanos / 1e9, removed.size(),
                removed.stream().filter(c -> !c.granted()).count(),
                addNanos / 1e9, added.size(), Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println(report);
        Files.writeString(Path.of("target/nested-scale.txt"), report);
        // Users below who reach App-Scale-Admin through another middle group keep Admin with a new path (a regrant).
        assertThat(removed).isNotEmpty().allMatch(c -> c.assignment().role().equals("Admin"));
        assertThat(removed.stream().map(AssignmentChange::user).distinct().count()).isBetween(1L, below);
        assertThat(added).isNotEmpty().allMatch(c -> c.granted() && c.assignment().role().equals("Admin"));
    }

    private int flushIfFull(List<SyncEvent> batch) {
        return batch.size() >= BATCH ? flush(batch) : 0;
    }

    private int flush(List<SyncEvent> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        int changed = applier.apply(List.copyOf(batch)).size();
        batch.clear();
        return changed;
    }

    private void applyInBatches(List<SyncEvent> events) {
        for (int i = 0; i < events.size(); i += BATCH) {
            applier.apply(events.subList(i, Math.min(events.size(), i + BATCH)));
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String group(int i) {
        return "00000000-0000-4000-8000-%012d".formatted(i);
    }

    private static String user(int i) {
        return "10000000-0000-4000-8000-%012d".formatted(i);
    }
}
