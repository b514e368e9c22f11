package dev.idsync.profile.graph;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphAccessConfig;
import dev.idsync.graph.RetryPolicy;
import dev.idsync.profile.config.WriterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * One {@link GraphAccess} per tenant of idsync.yaml, built on first use and shared (its credential caches
 * the app token). A tenant whose secret is missing is not an error at start-up: its requests answer
 * "No valid admin token" until the secret exists.
 */
@ApplicationScoped
public class TenantGraphs {

    private final IdsyncConfig tenants;
    private final WriterConfig writer;
    private final Config config;
    private final Map<String, TenantGraph> byTenant = new ConcurrentHashMap<>();

    TenantGraphs(IdsyncConfig tenants, WriterConfig writer, Config config) {
        this.tenants = tenants;
        this.writer = writer;
        this.config = config;
    }

    public Optional<IdsyncConfig.Tenant> find(String tenantId) {
        return Optional.ofNullable(tenants.tenants().get(tenantId));
    }

    /** The tenant's Graph; {@link GraphFailure} NO_TOKEN when its secret is not configured. */
    public TenantGraph of(String tenantId, IdsyncConfig.Tenant tenant) {
        return byTenant.computeIfAbsent(tenantId, id -> {
            GraphAccess access = GraphAccess.connect(accessConfig(id, tenant));
            return new TenantGraph(id, access, GraphUserReader.of(access, writer.requestTimeout()));
        });
    }

    private GraphAccessConfig accessConfig(String tenantId, IdsyncConfig.Tenant tenant) {
        WriterConfig.Retry r = writer.retry();
        GraphAccessConfig.Builder builder = GraphAccessConfig.builder(tenant.entraTenantId().orElse(tenantId),
                        tenant.clientId(), clientSecret(tenantId, tenant))
                .authorityHost(URI.create(tenant.authorityHost()))
                .graphBaseUrl(graphV1(tenant.graphBaseUrl()))
                .requestTimeout(writer.requestTimeout())
                .retry(new RetryPolicy(r.maxAttempts(), r.initialBackoff(), r.maxBackoff(), r.maxRetryAfter(),
                        r.maxTotalWait()));
        writer.trustStore().ifPresent(t -> builder.trustStore(t.path(), t.password()));
        return builder.build();
    }

    /**
     * The secret from the environment variable the tenant names, read through MicroProfile Config (whose
     * sources include the environment) so tests can supply it as a property of the same name.
     */
    private String clientSecret(String tenantId, IdsyncConfig.Tenant tenant) {
        String name = tenant.clientSecretEnv();
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank())
                .orElseThrow(() -> GraphFailure.noToken("tenant '" + tenantId + "': environment variable " + name
                        + " (idsync.tenants." + tenantId + ".client-secret-env) is not set", null));
    }

    /** idsync.yaml names Graph's root (https://graph.microsoft.com); requests go to its v1.0 endpoint. */
    static URI graphV1(String graphBaseUrl) {
        String url = graphBaseUrl.endsWith("/") ? graphBaseUrl.substring(0, graphBaseUrl.length() - 1) : graphBaseUrl;
        return URI.create(url.endsWith("/v1.0") || url.endsWith("/beta") ? url : url + "/v1.0");
    }
}
