package dev.idsync.emulator.authority;

import dev.idsync.emulator.directory.AppRegistration;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantRegistry;
import dev.idsync.emulator.graph.GraphError;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Validates the bearer token of a Graph request (signed by this emulator, not expired, for a known tenant
 * and app) and checks the app's permissions, answering with Graph's 401/403 errors.
 */
@ApplicationScoped
public class GraphAuthenticator {

    private final TenantRegistry tenants;
    private final JwtConsumer consumer;

    public GraphAuthenticator(TenantRegistry tenants, SigningKeys keys) {
        this.tenants = tenants;
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(30)
                .setSkipDefaultAudienceValidation()
                .setVerificationKey(keys.publicKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .build();
    }

    public GraphCaller authenticate(String authorization, Set<String> acceptedPermissions) {
        if (authorization == null || authorization.isBlank()) {
            throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.");
        }
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(authorization.substring(7).trim());
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new GraphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
            }
            throw new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.");
        }
        try {
            String tenantId = claims.getStringClaimValue("tid");
            String clientId = claims.getStringClaimValue("appid");
            Tenant tenant = tenants.find(tenantId).orElseThrow(
                    () -> new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid tenant."));
            AppRegistration app = tenant.app(clientId == null ? "" : clientId).orElseThrow(
                    () -> new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure."));
            // Permissions come from the token, as on Graph: a token issued before a grant change keeps its roles.
            List<String> roles = claims.isClaimValueStringList("roles") ? claims.getStringListClaimValue("roles") : List.of();
            if (roles.stream().noneMatch(acceptedPermissions::contains)) {
                throw GraphError.forbidden();
            }
            return new GraphCaller(tenant, app);
        } catch (MalformedClaimException e) {
            throw new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure.");
        }
    }
}
