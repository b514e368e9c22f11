package dev.idsync.roles.login;

import dev.idsync.config.ClientSecrets;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphAccessConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A user's groups read from Graph ({@code getMemberGroups}, transitive, through graph-access) when the
 * login token carries Entra's groups overage instead of the groups. One Graph connection per tenant,
 * made on first use with the tenant's app credentials.
 */
@ApplicationScoped
public class MemberGroupsSource {

    private final IdsyncConfig config;
    private final Optional<String> trustStore;
    private final String trustStorePassword;
    private final ClientSecrets secrets = new ClientSecrets();
    private final Map<String, GraphAccess> connections = new ConcurrentHashMap<>();

    MemberGroupsSource(IdsyncConfig config,
            @ConfigProperty(name = "role-mapper.graph.truststore") Optional<String> trustStore,
            @ConfigProperty(name = "role-mapper.graph.truststore-password", defaultValue = "changeit") String trustStorePassword) {
        this.config = config;
        this.trustStore = trustStore.filter(s -> !s.isBlank());
        this.trustStorePassword = trustStorePassword;
    }

    /** Group ids, or empty when Graph does not know the user. */
    public Optional<List<String>> groupsOf(String tenant, String userId) {
        return connections.computeIfAbsent(tenant, this::connect).memberGroups().memberGroups(userId, false);
    }

    private GraphAccess connect(String tenantId) {
        IdsyncConfig.Tenant tenant = config.tenants().get(tenantId);
        String graphBase = tenant.graphBaseUrl().endsWith("/")
                ? tenant.graphBaseUrl().substring(0, tenant.graphBaseUrl().length() - 1) : tenant.graphBaseUrl();
        GraphAccessConfig.Builder builder = GraphAccessConfig.builder(tenant.entraTenantId().orElse(tenantId),
                        tenant.clientId(), secrets.secretOf(tenantId, tenant))
                .authorityHost(URI.create(tenant.authorityHost()))
                .graphBaseUrl(URI.create(graphBase + "/v1.0"));
        trustStore.ifPresent(path -> builder.trustStore(Path.of(path), trustStorePassword));
        return GraphAccess.connect(builder.build());
    }
}
