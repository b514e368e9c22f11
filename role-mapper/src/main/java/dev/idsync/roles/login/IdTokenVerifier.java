package dev.idsync.roles.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jboss.logging.Logger;

/**
 * Validates a user's ID token against the issuer of the tenant it claims to come from: signature with
 * the issuer's published keys (discovery → {@code jwks_uri}, cached, re-fetched when a token names an
 * unknown key, i.e. after a key rollover), issuer, audience, expiry. One verifier per tenant, built on
 * first use.
 *
 * <p>Why jose4j and not quarkus-oidc multi-tenancy: quarkus-oidc already guards the API with idsync's own
 * issuer, and login-sync also takes the token from the body, where quarkus-oidc does not look; a small
 * explicit verifier per tenant keeps both concerns apart.
 */
@ApplicationScoped
public class IdTokenVerifier {

    private static final Logger LOG = Logger.getLogger(IdTokenVerifier.class);

    private final TenantIssuers issuers;
    private final String audience;
    private final ObjectMapper json;
    // HTTP/1.1: an h2c upgrade request makes some servers (the emulator among them) derive the issuer
    // URLs in discovery from a host without the port.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, JwtConsumer> consumers = new ConcurrentHashMap<>();

    IdTokenVerifier(TenantIssuers issuers, @ConfigProperty(name = "role-mapper.login-sync.audience") String audience,
            ObjectMapper json) {
        this.issuers = issuers;
        this.audience = audience;
        this.json = json;
    }

    /** The validated claims; a 401 problem when the token is not a valid token of this tenant's issuer. */
    public JwtClaims verify(String tenant, String token) {
        JwtConsumer consumer = consumers.computeIfAbsent(tenant, this::consumerFor);
        try {
            return consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            // Error codes and the root cause only: jose4j's messages quote the token, a credential.
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            LOG.infof("login-sync token rejected for tenant %s: error codes %s%s", tenant,
                    e.getErrorDetails().stream().map(d -> d.getErrorCode()).toList(),
                    root == e ? "" : " (" + root + ")");
            throw new ProblemException(401, "Unauthorized", "not a valid ID token of tenant '" + tenant + "'s issuer");
        }
    }

    private JwtConsumer consumerFor(String tenant) {
        String issuer = issuers.issuerOf(tenant)
                .orElseThrow(() -> ProblemException.notFound("no tenant '" + tenant + "' in idsync.yaml"));
        HttpsJwks keys = new HttpsJwks(jwksUri(issuer));
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(60)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(keys))
                .build();
    }

    private String jwksUri(String issuer) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode doc = json.readTree(response.body());
            if (response.statusCode() != 200 || !doc.hasNonNull("jwks_uri")) {
                throw new IllegalStateException("OIDC discovery of " + issuer + " answered " + response.statusCode());
            }
            if (!issuer.equals(doc.path("issuer").asText())) {
                LOG.warnf("discovery of %s names issuer %s", issuer, doc.path("issuer").asText());
            }
            return doc.get("jwks_uri").asText();
        } catch (IOException e) {
            throw new IllegalStateException("OIDC discovery of " + issuer + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The {@code groups} claim, or null when the token has none. */
    @SuppressWarnings("unchecked")
    public static List<String> groups(JwtClaims claims) {
        Object groups = claims.getClaimValue("groups");
        return groups instanceof List<?> list ? list.stream().map(Object::toString).toList() : null;
    }

    /** Whether Entra left the groups out for being too many ({@code _claim_names.groups}). */
    public static boolean groupsOverage(JwtClaims claims) {
        return claims.getClaimValue("_claim_names") instanceof Map<?, ?> names && names.containsKey("groups");
    }
}
