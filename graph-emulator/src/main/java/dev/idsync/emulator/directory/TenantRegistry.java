package dev.idsync.emulator.directory;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/** All tenants of this emulator, in memory. */
@ApplicationScoped
public class TenantRegistry {

    /** The characters azure-identity accepts in a tenant id; anything else could never be reached by a client. */
    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]{0,127}");

    private final ConcurrentMap<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Clock clock;

    public TenantRegistry(Clock clock) {
        this.clock = clock;
    }

    public Tenant create(String tenantId, String displayName, List<String> domains) {
        if (tenantId == null || !TENANT_ID.matcher(tenantId).matches()) {
            throw new IllegalArgumentException("tenantId must match " + TENANT_ID.pattern());
        }
        if (domains == null || domains.isEmpty()) {
            throw new IllegalArgumentException("a tenant needs at least one domain");
        }
        Tenant tenant = new Tenant(tenantId, displayName, domains, clock);
        Tenant existing = tenants.putIfAbsent(key(tenantId), tenant);
        if (existing != null) {
            throw new IllegalStateException("tenant " + tenantId + " already exists");
        }
        return tenant;
    }

    public Optional<Tenant> find(String tenantId) {
        return tenantId == null ? Optional.empty() : Optional.ofNullable(tenants.get(key(tenantId)));
    }

    public boolean delete(String tenantId) {
        return tenants.remove(key(tenantId)) != null;
    }

    public Collection<Tenant> all() {
        return List.copyOf(tenants.values());
    }

    private static String key(String tenantId) {
        return tenantId.toLowerCase(java.util.Locale.ROOT);
    }
}
