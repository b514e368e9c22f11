package dev.idsync.emulator.subscriptions;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The subscriptions of every tenant and each tenant's {@link SubscriptionSettings}, in memory. */
@ApplicationScoped
public class SubscriptionStore {

    private final Map<String, Map<String, Subscription>> byTenant = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionSettings> settings = new ConcurrentHashMap<>();

    public SubscriptionSettings settings(String tenantId) {
        return settings.getOrDefault(key(tenantId), SubscriptionSettings.defaults());
    }

    public void settings(String tenantId, SubscriptionSettings newSettings) {
        settings.put(key(tenantId), newSettings);
    }

    void add(Subscription subscription) {
        byTenant.computeIfAbsent(key(subscription.tenantId()), k -> new ConcurrentHashMap<>())
                .put(subscription.id(), subscription);
    }

    public Optional<Subscription> find(String tenantId, String id) {
        return Optional.ofNullable(byTenant.getOrDefault(key(tenantId), Map.of()).get(id));
    }

    public List<Subscription> of(String tenantId) {
        return List.copyOf(byTenant.getOrDefault(key(tenantId), Map.of()).values());
    }

    public boolean remove(String tenantId, String id) {
        Map<String, Subscription> subs = byTenant.get(key(tenantId));
        return subs != null && subs.remove(id) != null;
    }

    /** Tenants with at least one subscription. */
    Collection<String> tenants() {
        List<String> out = new ArrayList<>();
        byTenant.forEach((tenant, subs) -> {
            if (!subs.isEmpty()) {
                out.add(tenant);
            }
        });
        return out;
    }

    /** Removes the tenant's subscriptions whose expiration has passed, as Graph stops and deletes them. */
    List<Subscription> expire(String tenantId, Instant now) {
        Map<String, Subscription> subs = byTenant.getOrDefault(key(tenantId), Map.of());
        List<Subscription> expired = subs.values().stream().filter(s -> !s.expiration().isAfter(now)).toList();
        expired.forEach(s -> subs.remove(s.id()));
        return expired;
    }

    public void dropTenant(String tenantId) {
        byTenant.remove(key(tenantId));
        settings.remove(key(tenantId));
    }

    private static String key(String tenantId) {
        return tenantId.toLowerCase(Locale.ROOT);
    }
}
