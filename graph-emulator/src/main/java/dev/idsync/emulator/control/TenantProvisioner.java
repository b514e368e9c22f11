package dev.idsync.emulator.control;

import dev.idsync.emulator.control.ControlDtos.AppSpec;
import dev.idsync.emulator.control.ControlDtos.CreateTenantRequest;
import dev.idsync.emulator.control.ControlDtos.SettingsSpec;
import dev.idsync.emulator.directory.AppRegistration;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.ObjectStatus;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantRegistry;
import dev.idsync.emulator.directory.TenantSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** Creates tenants with their app registrations and settings; shared by the control API and the demo seed. */
@ApplicationScoped
public class TenantProvisioner {

    private final TenantRegistry tenants;

    public TenantProvisioner(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    public Tenant create(CreateTenantRequest request) {
        String tenantId = request.tenantId() == null ? UUID.randomUUID().toString() : request.tenantId();
        List<String> domains = request.domains() == null || request.domains().isEmpty()
                ? List.of(tenantId.replaceAll("[^A-Za-z0-9-]", "") + ".onmicrosoft.example")
                : request.domains();
        Tenant tenant = tenants.create(tenantId, request.displayName() == null ? tenantId : request.displayName(), domains);
        if (request.apps() != null) {
            request.apps().forEach(app -> registerApp(tenant, app));
        }
        if (request.settings() != null) {
            applySettings(tenant, request.settings());
        }
        return tenant;
    }

    public AppRegistration registerApp(Tenant tenant, AppSpec spec) {
        if (spec.clientSecret() == null || spec.clientSecret().isBlank()) {
            throw new IllegalArgumentException("an app needs a clientSecret");
        }
        AppRegistration app = new AppRegistration(
                spec.clientId() == null ? UUID.randomUUID().toString() : spec.clientId(), spec.clientSecret(),
                spec.displayName() == null ? "idsync" : spec.displayName(),
                spec.permissions() == null ? java.util.Set.of() : java.util.Set.copyOf(spec.permissions()),
                UUID.nameUUIDFromBytes((tenant.id() + "/" + spec.clientId()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        tenant.registerApp(app);
        return app;
    }

    public void applySettings(Tenant tenant, SettingsSpec spec) {
        TenantSettings current = tenant.settings();
        Duration ttl = current.deltaTokenTtl();
        if (spec.deltaTokenTtl() != null) {
            try {
                ttl = Duration.parse(spec.deltaTokenTtl());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("deltaTokenTtl must be an ISO-8601 duration such as P7D or PT2S");
            }
        }
        int emptyEvery = spec.emptyPageEvery() == null ? current.emptyPageEvery() : spec.emptyPageEvery();
        if (emptyEvery == 1) {
            throw new IllegalArgumentException("emptyPageEvery must be 0 (off) or at least 2");
        }
        double minimalShare = spec.minimalUpdateShare() == null ? current.minimalUpdateShare() : spec.minimalUpdateShare();
        long minimalSeed = spec.minimalUpdateSeed() == null ? current.minimalUpdateSeed() : spec.minimalUpdateSeed();
        tenant.updateSettings(new TenantSettings(ttl,
                spec.expiredTokenResponse() == null ? current.expiredTokenResponse() : spec.expiredTokenResponse(),
                emptyEvery, minimalShare, minimalSeed));
    }

    public ControlDtos.TenantView view(Tenant tenant) {
        ControlDtos.Counts counts = tenant.withReadLock(() -> new ControlDtos.Counts(
                tenant.count(ObjectKind.USER, ObjectStatus.ACTIVE), tenant.count(ObjectKind.USER, ObjectStatus.SOFT_DELETED),
                tenant.count(ObjectKind.GROUP, ObjectStatus.ACTIVE), tenant.count(ObjectKind.GROUP, ObjectStatus.SOFT_DELETED),
                tenant.membershipCount(), tenant.count(ObjectKind.DIRECTORY_ROLE, ObjectStatus.ACTIVE)));
        long sequence = tenant.withReadLock(tenant::lastSequence);
        TenantSettings s = tenant.settings();
        return new ControlDtos.TenantView(tenant.id(), tenant.displayName(), tenant.domains(),
                tenant.apps().stream().map(a -> new ControlDtos.AppView(a.clientId(), a.displayName(),
                        a.permissions().stream().sorted().toList(), a.servicePrincipalId())).toList(),
                new ControlDtos.SettingsView(s.deltaTokenTtl().toString(), s.expiredTokenResponse(), s.emptyPageEvery(),
                        s.minimalUpdateShare(), s.minimalUpdateSeed()),
                counts, sequence, tenant.tokenGenerations());
    }
}
