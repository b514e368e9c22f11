package dev.idsync.poller.graph;

import dev.idsync.config.IdsyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The tenants of idsync.yaml as the poller sees them: which exist and which resources each syncs. */
@ApplicationScoped
public class PollerTenants {

    /** The order a run reads resources in: users before the groups and roles that reference them. */
    public static final List<String> RESOURCE_ORDER = List.of("users", "groups", "directoryRoles");

    private final IdsyncConfig config;

    PollerTenants(IdsyncConfig config) {
        this.config = config;
    }

    public Optional<IdsyncConfig.Tenant> find(String tenantId) {
        return Optional.ofNullable(config.tenants().get(tenantId));
    }

    public Set<String> ids() {
        return config.tenants().keySet();
    }

    /** The tenant's configured resources in reading order. */
    public List<String> resourcesOf(IdsyncConfig.Tenant tenant) {
        return ordered(tenant.resources());
    }

    public static List<String> ordered(java.util.Collection<String> resources) {
        return RESOURCE_ORDER.stream().filter(resources::contains).toList();
    }
}
