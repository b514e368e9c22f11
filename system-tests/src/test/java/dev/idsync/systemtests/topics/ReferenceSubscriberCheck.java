package dev.idsync.systemtests.topics;

import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After a scenario (its test class, {@code @ExtendWith(ReferenceSubscriberCheck.class)}): for every
 * emulator tenant the scenario created, the shared {@link ReferenceSubscriber}'s replica of the public
 * topics equals delta-processor's store, and each user's roles in the replica equal role-mapper's API.
 * What a scenario proves about the store thereby holds for every subscriber of the public topics too
 * (docs/DESIGN.md invariants 6 and 11: a held deletion is on no topic, what committed is published).
 */
public final class ReferenceSubscriberCheck implements BeforeAllCallback, AfterAllCallback {

    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final String MARK = "tenants created before the scenario";

    @Override
    public void beforeAll(ExtensionContext context) {
        store(context).put(MARK, EmulatorTenant.created().size());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> created = EmulatorTenant.created();
        int mark = store(context).get(MARK, Integer.class);
        Set<String> tenants = new LinkedHashSet<>(created.subList(mark, created.size()));
        if (tenants.isEmpty()) {
            return;
        }
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        ReferenceSubscriber subscriber = ReferenceSubscriber.shared(stack);
        for (String tenant : tenants) {
            Duration directory = subscriber.awaitDirectoryAgrees(tenant, SETTLE);
            Duration roles = subscriber.awaitRolesAgree(tenant, tokens, SETTLE);
            Timings.report("reference subscriber", "%s after %s: replica = store (%d users) %d ms, roles = role-mapper %d ms"
                    .formatted(tenant, context.getRequiredTestClass().getSimpleName(),
                            subscriber.replica().users(tenant).size(), directory.toMillis(), roles.toMillis()));
        }
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(ExtensionContext.Namespace.create(ReferenceSubscriberCheck.class, context.getRequiredTestClass()));
    }
}
