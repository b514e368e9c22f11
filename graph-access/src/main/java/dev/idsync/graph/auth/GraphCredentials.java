package dev.idsync.graph.auth;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.identity.AzureAuthorityHosts;
import com.azure.identity.ClientSecretCredentialBuilder;
import dev.idsync.graph.GraphAccessConfig;
import okhttp3.OkHttpClient;

/**
 * Builds the app's credential: azure-identity's {@code ClientSecretCredential} against the configured
 * authority, over the OkHttp transport (azure-core's Netty transport would pull Netty 4.2 next to Quarkus'
 * Netty 4.1), wrapped in a {@link CachingTokenCredential}.
 */
public final class GraphCredentials {

    private GraphCredentials() {
    }

    public static CachingTokenCredential clientSecret(GraphAccessConfig config, OkHttpClient okHttp) {
        HttpClient transport = new OkHttpAsyncHttpClientBuilder(okHttp).build();
        ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                .tenantId(config.tenantId())
                .clientId(config.clientId())
                .clientSecret(config.clientSecret())
                .authorityHost(config.authorityHost().map(Object::toString).orElse(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD))
                // Instance discovery asks the public cloud whether the authority is known; a private
                // authority (the emulator) is not, and the call would leave the machine.
                .disableInstanceDiscovery()
                .httpClient(transport);
        return new CachingTokenCredential(builder.build());
    }

    /** An OkHttp client that trusts the configured truststore in addition to the JDK's CAs. */
    public static OkHttpClient okHttpClient(GraphAccessConfig config, TrustMaterial trust) {
        return new OkHttpClient.Builder()
                .sslSocketFactory(trust.sslContext().getSocketFactory(), trust.trustManager())
                .callTimeout(config.requestTimeout())
                .readTimeout(config.requestTimeout())
                .build();
    }
}
