package dev.idsync.emulator.demo;

import dev.idsync.emulator.control.ControlDtos.AppSpec;
import dev.idsync.emulator.control.ControlDtos.CreateTenantRequest;
import dev.idsync.emulator.control.TenantProvisioner;
import dev.idsync.emulator.directory.SeedResult;
import dev.idsync.emulator.directory.SeedSpec;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantSeeder;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the demo tenant at start so the local stack has a directory to sync: realistic users, the
 * App-&lt;Tenant&gt;-Admin/User/HR/Accounting groups, directory roles, and an app registration idsync's
 * services use (plus a read-only one to show a 403).
 */
@ApplicationScoped
public class DemoTenantSeeder {

    private static final Logger LOG = Logger.getLogger(DemoTenantSeeder.class);

    static final List<String> SYNC_PERMISSIONS = List.of("User.Read.All", "Group.Read.All", "Directory.Read.All",
            "RoleManagement.Read.Directory", "User.ReadWrite.All");

    private final TenantProvisioner provisioner;
    private final DemoTenantConfig config;

    private final boolean seedDemo;

    public DemoTenantSeeder(TenantProvisioner provisioner, DemoTenantConfig config,
                            @ConfigProperty(name = "idsync.emulator.seed-demo", defaultValue = "true") boolean seedDemo) {
        this.provisioner = provisioner;
        this.config = config;
        this.seedDemo = seedDemo;
    }

    void onStart(@Observes StartupEvent event) {
        if (!seedDemo) {
            return;
        }
        Tenant tenant = provisioner.create(new CreateTenantRequest(config.tenantId(), config.displayName(),
                config.domains(), List.of(
                new AppSpec(config.clientId(), config.clientSecret(), "idsync (local)", SYNC_PERMISSIONS),
                new AppSpec(config.clientId() + "-readonly", config.clientSecret(), "idsync read-only (local)",
                        List.of("User.Read.All", "Group.Read.All"))), null));
        SeedResult result = new TenantSeeder().seed(tenant, new SeedSpec(config.users(), config.groups(),
                config.memberships(), config.directoryRoles(), 0.05, config.seed(), null, null));
        LOG.infof("Demo tenant '%s' seeded: %d users (%d disabled), %d groups, %d memberships, %d directory roles in %d ms;"
                        + " client id '%s'", tenant.id(), result.users(), result.disabledUsers(), result.groups(),
                result.memberships(), result.directoryRoles(), result.millis(), config.clientId());
    }
}
