package dev.idsync.graph.auth;

import dev.idsync.graph.GraphAccessConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of all Graph and authority connections: the JDK's CAs plus, when configured, the
 * certificates of an extra truststore (the emulator's self-signed authority). Adding instead of replacing
 * keeps the public cloud reachable from the same process.
 */
public record TrustMaterial(SSLContext sslContext, X509TrustManager trustManager) {

    public static TrustMaterial from(GraphAccessConfig config) {
        try {
            X509TrustManager jdk = trustManager(null);
            if (config.trustStore().isEmpty()) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {jdk}, null);
                return new TrustMaterial(context, jdk);
            }
            GraphAccessConfig.TrustStore store = config.trustStore().get();
            KeyStore extra = KeyStore.getInstance(store.type());
            try (InputStream in = Files.newInputStream(store.path())) {
                extra.load(in, store.password() == null ? null : store.password().toCharArray());
            }
            X509TrustManager combined = new CombinedTrustManager(List.of(trustManager(extra), jdk));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {combined}, null);
            return new TrustMaterial(context, combined);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the truststore " + config.trustStore().orElse(null), e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast).findFirst()
                .orElseThrow(() -> new GeneralSecurityException("no X509TrustManager"));
    }

    /** Trusts a chain if any delegate does. */
    private record CombinedTrustManager(List<X509TrustManager> delegates) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            check(chain, authType, true);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            check(chain, authType, false);
        }

        private void check(X509Certificate[] chain, String authType, boolean client)
                throws java.security.cert.CertificateException {
            java.security.cert.CertificateException last = null;
            for (X509TrustManager delegate : delegates) {
                try {
                    if (client) {
                        delegate.checkClientTrusted(chain, authType);
                    } else {
                        delegate.checkServerTrusted(chain, authType);
                    }
                    return;
                } catch (java.security.cert.CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>();
            delegates.forEach(d -> all.addAll(Arrays.asList(d.getAcceptedIssuers())));
            return all.toArray(new X509Certificate[0]);
        }
    }
}
