package dev.idsync.processor.rules;

import dev.idsync.config.IdsyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.stream.Collectors;

/** The rules of every configured tenant, read once from {@code idsync.yaml} at start. */
@ApplicationScoped
public class TenantRuleBook {

    private final Map<String, TenantRules> byTenant;

    TenantRuleBook(IdsyncConfig config) {
        this.byTenant = config.tenants().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> TenantRules.of(e.getValue())));
    }

    public TenantRules of(String tenantId) {
        return byTenant.getOrDefault(tenantId, TenantRules.DEFAULT);
    }
}
