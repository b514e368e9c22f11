package dev.idsync.poller.graph;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphAccessConfig;
import dev.idsync.graph.RetryPolicy;
import dev.idsync.poller.config.PollerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;

/**
 * One {@link GraphAccess} per tenant, built on first use from idsync.yaml and shared by all its runs (the
 * credential caches the app token). A real tenant needs nothing but its entry: public-cloud defaults for
 * authority and Graph, the secret from the environment variable the entry names.
 */
@ApplicationScoped
public class TenantGraphs {

    private final PollerTenants tenants;
    private final PollerConfig poller;
    private final Config config;
    private final Map<String, GraphAccess> byTenant = new ConcurrentHashMap<>();

    TenantGraphs(PollerTenants tenants, PollerConfig poller, Config config) {
        this.tenants = tenants;
        this.poller = poller;
        this.config = config;
    }

    public GraphAccess of(String tenantId) {
        return byTenant.computeIfAbsent(tenantId, id -> GraphAccess.connect(accessConfig(id,
                tenants.find(id).orElseThrow(() -> new IllegalArgumentException("unknown tenant " + id)))));
    }

    GraphAccessConfig accessConfig(String tenantId, IdsyncConfig.Tenant tenant) {
        PollerConfig.Retry r = poller.retry();
        GraphAccessConfig.Builder builder = GraphAccessConfig.builder(tenant.entraTenantId().orElse(tenantId),
                        tenant.clientId(), clientSecret(tenantId, tenant))
                .authorityHost(URI.create(tenant.authorityHost()))
                .graphBaseUrl(graphV1(tenant.graphBaseUrl()))
                .requestTimeout(poller.requestTimeout())
                .retry(new RetryPolicy(r.maxAttempts(), r.initialBackoff(), r.maxBackoff(), r.maxRetryAfter(),
                        r.maxTotalWait()));
        poller.trustStore().ifPresent(t -> builder.trustStore(t.path(), t.password()));
        return builder.build();
    }

    /**
     * The secret from the variable the tenant names. Read through MicroProfile Config, whose sources include
     * the environment, so tests and embedders can supply it as a property of the same name.
     */
    private String clientSecret(String tenantId, IdsyncConfig.Tenant tenant) {
        String name = tenant.clientSecretEnv();
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException("tenant '" + tenantId + "': environment variable " + name
                        + " (idsync.tenants." + tenantId + ".client-secret-env) is not set"));
    }

    /** idsync.yaml names Graph's root (https://graph.microsoft.com); requests go to its v1.0 endpoint. */
    static URI graphV1(String graphBaseUrl) {
        String url = graphBaseUrl.endsWith("/") ? graphBaseUrl.substring(0, graphBaseUrl.length() - 1) : graphBaseUrl;
        return URI.create(url.endsWith("/v1.0") || url.endsWith("/beta") ? url : url + "/v1.0");
    }
}
