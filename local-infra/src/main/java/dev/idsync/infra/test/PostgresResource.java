package dev.idsync.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real PostgreSQL with database idsync for {@code @QuarkusTest}s. One cluster per test JVM, shared by
 * all test classes and Quarkus restarts; it is stopped by a JVM shutdown hook, so {@link #stop()} leaves
 * it running. Each service migrates its own schema with Flyway, so sharing the database is how
 * production runs too.
 *
 * <pre>
 * &#64;WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
 * </pre>
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    /** Returns {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username} and {@code .password}. */
    @Override
    public Map<String, String> start() {
        return SharedInfraBridge.postgresConfig();
    }

    @Override
    public void stop() {
        // The cluster outlives this application: the next test class (or restart) uses it again.
    }
}
