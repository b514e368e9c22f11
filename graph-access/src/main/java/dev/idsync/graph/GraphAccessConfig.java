package dev.idsync.graph;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a service reaches one tenant's Graph. Authority host and Graph base URL default to Microsoft's public
 * cloud as the Azure and Graph SDKs define it; point both at the emulator for tests and the local stack.
 *
 * @param tenantId      directory (tenant) id
 * @param clientId      application (client) id of the app registration
 * @param clientSecret  its client secret; read from the environment by the caller, never from a file in git
 * @param authorityHost e.g. {@code https://localhost:8453} for the emulator; empty for the public cloud
 * @param graphBaseUrl  e.g. {@code http://localhost:8090/v1.0} for the emulator; empty for the SDK's default
 * @param trustStore    extra trust for the authority's and Graph's TLS certificates (the emulator's self-signed one)
 * @param requestTimeout timeout of one HTTP request
 * @param retry         how throttled and failed delta requests are retried
 */
public record GraphAccessConfig(String tenantId, String clientId, String clientSecret, Optional<URI> authorityHost,
                                Optional<URI> graphBaseUrl, Optional<TrustStore> trustStore, Duration requestTimeout,
                                RetryPolicy retry) {

    /** A PKCS#12 (or JKS) truststore file. */
    public record TrustStore(Path path, String password, String type) {
        public TrustStore {
            Objects.requireNonNull(path, "path");
            type = type == null ? "PKCS12" : type;
        }

        @Override
        public String toString() {
            return "TrustStore[path=" + path + ", type=" + type + "]";
        }
    }

    public GraphAccessConfig {
        requireText(tenantId, "tenantId");
        requireText(clientId, "clientId");
        requireText(clientSecret, "clientSecret");
        authorityHost = authorityHost == null ? Optional.empty() : authorityHost;
        graphBaseUrl = graphBaseUrl == null ? Optional.empty() : graphBaseUrl.map(GraphAccessConfig::withoutTrailingSlash);
        trustStore = trustStore == null ? Optional.empty() : trustStore;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
        retry = retry == null ? RetryPolicy.defaults() : retry;
        if (authorityHost.isPresent() && !"https".equalsIgnoreCase(authorityHost.get().getScheme())) {
            // azure-identity refuses anything else; failing here gives a clearer message at start-up.
            throw new IllegalArgumentException("authorityHost must be an https URL, got " + authorityHost.get());
        }
    }

    public static Builder builder(String tenantId, String clientId, String clientSecret) {
        return new Builder(tenantId, clientId, clientSecret);
    }

    /** The secret never appears in logs. */
    @Override
    public String toString() {
        return "GraphAccessConfig[tenantId=" + tenantId + ", clientId=" + clientId + ", clientSecret=***"
                + ", authorityHost=" + authorityHost.map(URI::toString).orElse("(public cloud)")
                + ", graphBaseUrl=" + graphBaseUrl.map(URI::toString).orElse("(SDK default)")
                + ", trustStore=" + trustStore.map(TrustStore::toString).orElse("(JDK default)")
                + ", requestTimeout=" + requestTimeout + ", retry=" + retry + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    public static final class Builder {
        private final String tenantId;
        private final String clientId;
        private final String clientSecret;
        private URI authorityHost;
        private URI graphBaseUrl;
        private TrustStore trustStore;
        private Duration requestTimeout;
        private RetryPolicy retry;

        private Builder(String tenantId, String clientId, String clientSecret) {
            this.tenantId = tenantId;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
        }

        public Builder authorityHost(URI value) {
            this.authorityHost = value;
            return this;
        }

        public Builder graphBaseUrl(URI value) {
            this.graphBaseUrl = value;
            return this;
        }

        public Builder trustStore(Path path, String password) {
            this.trustStore = new TrustStore(path, password, "PKCS12");
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder retry(RetryPolicy value) {
            this.retry = value;
            return this;
        }

        public GraphAccessConfig build() {
            return new GraphAccessConfig(tenantId, clientId, clientSecret, Optional.ofNullable(authorityHost),
                    Optional.ofNullable(graphBaseUrl), Optional.ofNullable(trustStore), requestTimeout, retry);
        }
    }
}
