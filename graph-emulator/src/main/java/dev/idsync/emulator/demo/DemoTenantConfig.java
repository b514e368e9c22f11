package dev.idsync.emulator.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;

/** The demo tenant created at start ({@code idsync.emulator.demo.*}). */
@ConfigMapping(prefix = "idsync.emulator.demo")
public interface DemoTenantConfig {

    @WithName("tenant-id")
    @WithDefault("contoso")
    String tenantId();

    @WithName("display-name")
    @WithDefault("Contoso")
    String displayName();

    @WithName("domains")
    @WithDefault("contoso.example,contoso-services.example,fabrikam.example")
    List<String> domains();

    @WithName("client-id")
    @WithDefault("idsync-local")
    String clientId();

    /** Not a real credential: it only opens this in-memory fake tenant. Override with IDSYNC_EMULATOR_DEMO_CLIENT_SECRET. */
    @WithName("client-secret")
    @WithDefault("local-emulator-only")
    String clientSecret();

    @WithName("users")
    @WithDefault("500")
    int users();

    @WithName("groups")
    @WithDefault("40")
    int groups();

    @WithName("memberships")
    @WithDefault("1500")
    int memberships();

    @WithName("directory-roles")
    @WithDefault("5")
    int directoryRoles();

    @WithName("seed")
    @WithDefault("42")
    long seed();
}
