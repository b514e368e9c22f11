package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4's must-show: a tenant of 10,000 users, 1,000 groups and 50,000 memberships (plus directory
 * roles) in the emulator, one run of the real graph-poller, the real delta-processor consuming the real
 * topics — and the {@code directory} schema equals the tenant: the same ids, attributes and memberships.
 */
@Order(1)
@ExtendWith(ReferenceSubscriberCheck.class)
class InitialSyncTest {

    @Test
    void an_initial_sync_of_10000_users_1000_groups_50000_memberships_leaves_the_store_equal_to_the_tenant() {
        Stack stack = Stack.get();
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.INITIAL);
        tenant.seed(10_000, 1_000, 50_000, 8);
        DirectoryState entra = DirectoryState.fromSnapshot(tenant.snapshot());
        assertThat(entra.users().size() + entra.pendingUsers().size()).isEqualTo(10_000);
        assertThat(entra.membershipCount()).isEqualTo(50_000);
        // The comparison means something only if the snapshot carries the synced attributes.
        assertThat(entra.users().values()).allSatisfy(a -> assertThat(a).containsKeys("userPrincipalName", "displayName"));

        Instant t0 = Instant.now();
        JsonNode run = new SyncRuns(stack, new Tokens(stack)).runToCompletion(tenant.id(), "{}", Duration.ofMinutes(4));
        Duration runWall = Duration.between(t0, Instant.now());

        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        Duration converged = Eventually.noDifferences("store of " + tenant.id() + " against the emulator",
                () -> store.read().differencesTo(entra, 20), Duration.ofMinutes(3));

        assertThat(store.read().differencesTo(DirectoryState.fromSnapshot(tenant.snapshot()), 20)).isEmpty();
        Timings.report("initial sync", "%d users / %d groups / %d memberships / %d roles: run %d ms (API durationMillis %d, pages %s),"
                .formatted(entra.users().size(), entra.groups().size(), entra.membershipCount(), entra.roles().size(),
                        runWall.toMillis(), run.path("durationMillis").asLong(), run.path("pages"))
                + " store equal to the snapshot %d ms after the run ended, %d ms after it was triggered"
                .formatted(converged.toMillis(), runWall.plus(converged).toMillis()));
    }
}
