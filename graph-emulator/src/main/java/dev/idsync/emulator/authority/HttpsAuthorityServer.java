package dev.idsync.emulator.authority;

import dev.idsync.emulator.faults.RequestInterceptor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The HTTPS authority (token endpoint, discovery, JWKS) on its own port. The certificate is generated at
 * every start and exported as a PKCS#12 truststore and a PEM file that services and tests trust.
 * A second Vert.x server rather than Quarkus' own TLS port, because Quarkus reads its key material
 * before any application code could generate it.
 */
@ApplicationScoped
public class HttpsAuthorityServer {

    private static final Logger LOG = Logger.getLogger(HttpsAuthorityServer.class);

    private final Vertx vertx;
    private final AuthorityRoutes routes;
    private final RequestInterceptor interceptor;
    private final Clock clock;
    private final boolean enabled;
    private final int configuredPort;
    private final String host;
    private final Path truststorePath;
    private final String truststorePassword;
    private final java.util.List<String> extraDnsNames;

    private HttpServer server;
    private byte[] truststore;
    private String certificatePem;

    public HttpsAuthorityServer(Vertx vertx, AuthorityRoutes routes, RequestInterceptor interceptor, Clock clock,
                                @ConfigProperty(name = "idsync.emulator.https.enabled", defaultValue = "true") boolean enabled,
                                @ConfigProperty(name = "idsync.emulator.https.port", defaultValue = "8453") int configuredPort,
                                @ConfigProperty(name = "idsync.emulator.https.host", defaultValue = "0.0.0.0") String host,
                                @ConfigProperty(name = "idsync.emulator.tls.truststore-path") Path truststorePath,
                                @ConfigProperty(name = "idsync.emulator.tls.truststore-password", defaultValue = "changeit") String truststorePassword,
                                @ConfigProperty(name = "idsync.emulator.tls.extra-dns-names") java.util.Optional<java.util.List<String>> extraDnsNames) {
        this.vertx = vertx;
        this.routes = routes;
        this.interceptor = interceptor;
        this.clock = clock;
        this.enabled = enabled;
        this.configuredPort = configuredPort;
        this.host = host;
        this.truststorePath = truststorePath;
        this.truststorePassword = truststorePassword;
        this.extraDnsNames = extraDnsNames.orElse(java.util.List.of());
    }

    void start(@Observes StartupEvent event) throws Exception {
        if (!enabled) {
            return;
        }
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(clock.instant(), Duration.ofDays(365), extraDnsNames);
        char[] password = truststorePassword.toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("graph-emulator", certificate.keyPair().getPrivate(), password,
                new Certificate[] {certificate.certificate()});
        exportTruststore(certificate, password);

        Router router = Router.router(vertx);
        router.route().order(-1000).handler(interceptor);
        routes.register(router);
        HttpServerOptions options = new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(toBytes(keyStore, password)))
                        .setPassword(truststorePassword));
        server = vertx.createHttpServer(options).requestHandler(router)
                .listen(configuredPort, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("HTTPS token authority listening on https://localhost:%d (truststore %s)", server.actualPort(),
                truststorePath.toAbsolutePath());
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void exportTruststore(SelfSignedCertificate certificate, char[] password)
            throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("graph-emulator", certificate.certificate());
        truststore = toBytes(trust, password);
        certificatePem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Path parent = truststorePath.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Write then move so a service never reads a half-written truststore.
        Path temp = Files.createTempFile(parent, "truststore", ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            out.write(truststore);
        }
        Files.move(temp, truststorePath, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(pemPath(), certificatePem);
    }

    private static byte[] toBytes(KeyStore store, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }

    public boolean running() {
        return server != null;
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("the HTTPS authority is not running");
        }
        return server.actualPort();
    }

    /** e.g. {@code https://localhost:8453}: the authority host for azure-identity. */
    public String authorityHost() {
        return "https://localhost:" + port();
    }

    public Path truststorePath() {
        return truststorePath.toAbsolutePath();
    }

    public Path pemPath() {
        String name = truststorePath.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return truststorePath.toAbsolutePath().resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".pem");
    }

    public String truststorePassword() {
        return truststorePassword;
    }

    public byte[] truststoreBytes() {
        return truststore == null ? null : truststore.clone();
    }

    public String certificatePem() {
        return certificatePem;
    }
}
