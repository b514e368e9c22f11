package dev.idsync.config;

import java.util.Map;
import java.util.function.Function;

/**
 * Resolves a tenant's client secret from the environment variable the config names. The secret is
 * returned to the caller only; it never appears in an exception message or a log line.
 */
public final class ClientSecrets {

    private final Function<String, String> environment;

    public ClientSecrets() {
        this(System::getenv);
    }

    /** For tests and embedding: another source of environment variables. */
    public ClientSecrets(Map<String, String> environment) {
        this(environment::get);
    }

    private ClientSecrets(Function<String, String> environment) {
        this.environment = environment;
    }

    public String secretOf(String tenantId, IdsyncConfig.Tenant tenant) {
        String name = tenant.clientSecretEnv();
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("tenant '" + tenantId + "': environment variable " + name
                    + " (idsync.tenants." + tenantId + ".client-secret-env) is not set");
        }
        return value;
    }
}
