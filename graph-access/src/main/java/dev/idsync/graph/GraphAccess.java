package dev.idsync.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.idsync.graph.auth.CachingTokenCredential;
import dev.idsync.graph.auth.GraphCredentials;
import dev.idsync.graph.auth.TrustMaterial;
import dev.idsync.graph.delta.CredentialTokenSource;
import dev.idsync.graph.delta.DeltaPageFetcher;
import dev.idsync.graph.users.MemberGroupsReader;
import dev.idsync.graph.users.UserProfileClient;
import java.net.URI;
import java.net.http.HttpClient;
import okhttp3.OkHttpClient;

/**
 * Everything a service needs to talk to one tenant's Graph, built from one {@link GraphAccessConfig}:
 * the caching credential, Microsoft's Graph SDK client, the delta page fetcher and the typed user clients.
 * Create one per tenant and share it; all parts are thread-safe.
 */
public final class GraphAccess {

    private final GraphAccessConfig config;
    private final CachingTokenCredential credential;
    private final GraphServiceClient graph;
    private final URI graphBaseUrl;
    private final String scope;
    private final DeltaPageFetcher deltaPages;

    private GraphAccess(GraphAccessConfig config, CachingTokenCredential credential, GraphServiceClient graph,
                        URI graphBaseUrl, String scope, DeltaPageFetcher deltaPages) {
        this.config = config;
        this.credential = credential;
        this.graph = graph;
        this.graphBaseUrl = graphBaseUrl;
        this.scope = scope;
        this.deltaPages = deltaPages;
    }

    public static GraphAccess connect(GraphAccessConfig config) {
        TrustMaterial trust = TrustMaterial.from(config);
        OkHttpClient okHttp = GraphCredentials.okHttpClient(config, trust);
        CachingTokenCredential credential = GraphCredentials.clientSecret(config, okHttp);

        // Without a configured URL, the SDK's own default (Microsoft's public cloud) applies.
        URI baseUrl = config.graphBaseUrl().orElseGet(
                () -> URI.create(new GraphServiceClient(okHttp).getRequestAdapter().getBaseUrl()));
        String scope = scopeFor(baseUrl);
        // Without the Graph host in the allowed hosts the SDK silently sends no Authorization header.
        AzureIdentityAuthenticationProvider auth = new AzureIdentityAuthenticationProvider(credential,
                new String[] {baseUrl.getHost()}, scope);
        GraphServiceClient graph = new GraphServiceClient(auth, okHttp);
        graph.getRequestAdapter().setBaseUrl(baseUrl.toString());

        HttpClient http = HttpClient.newBuilder().sslContext(trust.sslContext())
                .connectTimeout(config.requestTimeout()).build();
        DeltaPageFetcher fetcher = new DeltaPageFetcher(http, new CredentialTokenSource(credential, scope),
                config.retry(), config.requestTimeout(), new ObjectMapper());
        return new GraphAccess(config, credential, graph, baseUrl, scope, fetcher);
    }

    /** Graph's resource for client credentials: the origin of the Graph URL with {@code /.default}. */
    static String scopeFor(URI graphBaseUrl) {
        int port = graphBaseUrl.getPort();
        return graphBaseUrl.getScheme() + "://" + graphBaseUrl.getHost() + (port > 0 ? ":" + port : "") + "/.default";
    }

    public GraphAccessConfig config() {
        return config;
    }

    public CachingTokenCredential credential() {
        return credential;
    }

    /** Microsoft's Graph SDK client, authenticated and pointed at the configured Graph. */
    public GraphServiceClient graph() {
        return graph;
    }

    public URI graphBaseUrl() {
        return graphBaseUrl;
    }

    public String scope() {
        return scope;
    }

    public DeltaPageFetcher deltaPages() {
        return deltaPages;
    }

    public UserProfileClient users() {
        return new UserProfileClient(graph);
    }

    public MemberGroupsReader memberGroups() {
        return new MemberGroupsReader(graph);
    }
}
