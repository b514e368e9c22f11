package dev.idsync.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The graph-emulator for {@code @QuarkusTest}s: Graph, the token authority and the OIDC issuer of a
 * fake Entra tenant, as a child JVM shared by every test class of the JVM (see {@link EmulatorConfig}
 * for what it configures).
 *
 * <pre>
 * &#64;WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
 * </pre>
 */
public class EmulatorResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SharedInfraBridge.emulatorConfig();
    }

    @Override
    public void stop() {
        // Outlives this application, like the broker: the next test class uses it again.
    }
}
