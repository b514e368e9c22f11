package dev.idsync.roles.login;

import dev.idsync.config.IdsyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each tenant's OIDC issuer: {@code <authority>/<entra tenant>/v2.0}, as Entra v2 tokens name it. The
 * authority is the tenant's {@code authority-host}, unless {@code role-mapper.login-sync.issuer-base-url}
 * overrides it for all tenants (the emulator issues its tokens on its plain HTTP port, not on the
 * HTTPS authority the Graph credentials use).
 */
@ApplicationScoped
public class TenantIssuers {

    private final IdsyncConfig config;
    private final Optional<String> issuerBase;

    TenantIssuers(IdsyncConfig config,
            @ConfigProperty(name = "role-mapper.login-sync.issuer-base-url") Optional<String> issuerBase) {
        this.config = config;
        this.issuerBase = issuerBase.filter(s -> !s.isBlank());
    }

    public Optional<String> issuerOf(String tenantId) {
        IdsyncConfig.Tenant tenant = config.tenants().get(tenantId);
        if (tenant == null) {
            return Optional.empty();
        }
        String base = issuerBase.orElse(tenant.authorityHost());
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return Optional.of(base + "/" + tenant.entraTenantId().orElse(tenantId) + "/v2.0");
    }
}
