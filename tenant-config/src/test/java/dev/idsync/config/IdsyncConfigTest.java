package dev.idsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented idsync.yaml shape maps, with Microsoft's public cloud and reference defaults filled in. */
class IdsyncConfigTest {

    private final IdsyncConfig config = load("idsync-example.yaml");

    @Test
    void a_fully_written_tenant_maps_every_section() {
        IdsyncConfig.Tenant contoso = config.tenants().get("contoso");
        assertThat(contoso.name()).isEqualTo("Contoso");
        assertThat(contoso.entraTenantId()).isEmpty();
        assertThat(contoso.graphBaseUrl()).isEqualTo("http://127.0.0.1:8090");
        assertThat(contoso.schedule().every()).isEqualTo(Duration.ofMinutes(5));
        assertThat(contoso.fieldMapping()).containsEntry("jobTitle", "position");
        assertThat(contoso.filters().accountEnabledOnly()).isTrue();
        assertThat(contoso.filters().excludedDomains()).contains(java.util.Set.of("external.contoso.example"));
        assertThat(contoso.orgUnits()).containsEntry("Contoso GmbH", "DE-01");
        assertThat(contoso.roleMappings().groups().get("6f1e2a3b-0000-4000-8000-000000000001").accessLevel())
                .isEqualTo("edit");
        assertThat(contoso.deleteThreshold().count()).isEqualTo(50);
        assertThat(SelectDefaults.forResource(contoso, "users"))
                .containsExactly("id", "displayName", "companyName", "accountEnabled");
    }

    @Test
    void a_minimal_tenant_gets_public_cloud_and_reference_defaults() {
        IdsyncConfig.Tenant fabrikam = config.tenants().get("fabrikam");
        assertThat(fabrikam.authorityHost()).isEqualTo("https://login.microsoftonline.com");
        assertThat(fabrikam.graphBaseUrl()).isEqualTo("https://graph.microsoft.com");
        assertThat(fabrikam.schedule().cron()).contains("0 0 2 * * ?");
        assertThat(fabrikam.schedule().every()).isEqualTo(Duration.ofMinutes(15));
        assertThat(fabrikam.resources()).containsExactlyInAnyOrder("users", "groups", "directoryRoles");
        assertThat(fabrikam.roleMappings().pattern()).isEqualTo("App-{tenant}-{role}");
        assertThat(fabrikam.roleMappings().roles()).containsExactly("Admin", "User", "HR", "Accounting");
        assertThat(fabrikam.roleMappings().defaultRole()).isEqualTo("User");
        assertThat(fabrikam.deleteThreshold().count()).isEqualTo(500);
        assertThat(fabrikam.deleteThreshold().percent()).isEqualTo(10);
        assertThat(fabrikam.filters().accountEnabledOnly()).isFalse();
        assertThat(SelectDefaults.forResource(fabrikam, "users")).contains("companyName", "accountEnabled", "employeeId");
    }

    @Test
    void the_client_secret_comes_from_the_named_environment_variable_and_is_never_in_the_error() {
        IdsyncConfig.Tenant contoso = config.tenants().get("contoso");
        assertThat(new ClientSecrets(Map.of("IDSYNC_CONTOSO_CLIENT_SECRET", "s3cr3t")).secretOf("contoso", contoso))
                .isEqualTo("s3cr3t");
        assertThatThrownBy(() -> new ClientSecrets(Map.of()).secretOf("contoso", contoso))
                .hasMessageContaining("IDSYNC_CONTOSO_CLIENT_SECRET")
                .hasMessageContaining("idsync.tenants.contoso.client-secret-env");
    }

    @Test
    void the_scheduled_full_sync_is_on_by_default_with_the_global_interval_and_can_be_set_or_switched_off() {
        assertThat(config.tenants().get("contoso").schedule().fullSync().every()).contains(Duration.ofDays(3));
        assertThat(config.tenants().get("contoso").schedule().fullSync().enabled()).isTrue();
        IdsyncConfig.FullSync fabrikam = config.tenants().get("fabrikam").schedule().fullSync();
        assertThat(fabrikam.every()).as("unset: the poller's global interval applies").isEmpty();
        assertThat(fabrikam.enabled()).isTrue();
        assertThat(config.tenants().get("northwind").schedule().fullSync().enabled()).isFalse();
    }

    @Test
    void durations_read_as_admins_write_them() {
        var converter = new DurationConverter();
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(converter.convert("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> converter.convert("soon")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void an_unknown_resource_is_refused_with_the_known_ones() {
        assertThatThrownBy(() -> SelectDefaults.forResource(config.tenants().get("fabrikam"), "devices"))
                .hasMessageContaining("devices").hasMessageContaining("users");
    }

    @Test
    void a_tenant_without_a_client_id_is_refused_at_start() {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withMapping(IdsyncConfig.class)
                .withSources(new io.smallrye.config.PropertiesConfigSource(
                        Map.of("idsync.tenants.broken.name", "Broken",
                                "idsync.tenants.broken.client-secret-env", "X"), "test", 100));
        assertThatThrownBy(builder::build).hasMessageContaining("idsync.tenants.broken.client-id");
    }

    private static IdsyncConfig load(String resource) {
        URL url = IdsyncConfigTest.class.getClassLoader().getResource(resource);
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(IdsyncConfig.class)
                    .withSources(new YamlConfigSource(url)).build();
            return config.getConfigMapping(IdsyncConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
