package dev.idsync.emulator.authority;

import dev.idsync.emulator.directory.AppRegistration;
import dev.idsync.emulator.directory.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/** Mints the emulator's signed tokens: app tokens for Graph and user ID/access tokens for idsync's APIs. */
@ApplicationScoped
public class TokenIssuer {

    /** Entra's lifetime for client-credential access tokens is about an hour. */
    public static final int APP_TOKEN_SECONDS = 3599;

    private final SigningKeys keys;
    private final Clock clock;

    public TokenIssuer(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public String issueAppToken(Tenant tenant, AppRegistration app, String audience, String issuer) {
        JwtClaims claims = baseClaims(issuer, audience, APP_TOKEN_SECONDS);
        claims.setSubject(app.servicePrincipalId());
        claims.setClaim("tid", tenant.id());
        claims.setClaim("oid", app.servicePrincipalId());
        claims.setClaim("appid", app.clientId());
        claims.setClaim("azp", app.clientId());
        claims.setClaim("idtyp", "app");
        claims.setClaim("ver", "2.0");
        claims.setStringListClaim("roles", new ArrayList<>(app.permissions()));
        return keys.sign(claims);
    }

    /** What a user token says about the user's groups. */
    public sealed interface GroupsClaim {
        /** A {@code groups} claim with these ids. */
        record Listed(List<String> ids) implements GroupsClaim {
        }

        /** Entra's overage form: more groups than fit, to be fetched from {@code endpoint}. */
        record Overage(String endpoint) implements GroupsClaim {
        }

        /** No group information at all (the app registration asks for none). */
        record Omitted() implements GroupsClaim {
        }
    }

    public String issueUserToken(UserTokenRequest request, Tenant tenant, String issuer, GroupsClaim groups) {
        JwtClaims claims = baseClaims(issuer, request.audience(), request.lifetimeSeconds());
        claims.setSubject(request.subject());
        claims.setClaim("tid", tenant.id());
        claims.setClaim("oid", request.objectId());
        claims.setClaim("ver", "2.0");
        if (request.clientId() != null) {
            claims.setClaim("azp", request.clientId());
        }
        if (request.name() != null) {
            claims.setClaim("name", request.name());
        }
        if (request.preferredUsername() != null) {
            claims.setClaim("preferred_username", request.preferredUsername());
            claims.setClaim("email", request.preferredUsername());
        }
        if (!request.roles().isEmpty()) {
            claims.setStringListClaim("roles", request.roles());
        }
        switch (groups) {
            case GroupsClaim.Listed listed -> claims.setStringListClaim("groups", listed.ids());
            // Entra's overage form for v2 tokens with more groups than fit.
            case GroupsClaim.Overage overage -> {
                claims.setClaim("_claim_names", Map.of("groups", "src1"));
                claims.setClaim("_claim_sources", Map.of("src1", Map.of("endpoint", overage.endpoint())));
            }
            case GroupsClaim.Omitted omitted -> {
            }
        }
        if (request.nonce() != null) {
            claims.setClaim("nonce", request.nonce());
        }
        request.extraClaims().forEach(claims::setClaim);
        return keys.sign(claims);
    }

    private JwtClaims baseClaims(String issuer, String audience, int lifetimeSeconds) {
        JwtClaims claims = new JwtClaims();
        long now = clock.instant().getEpochSecond();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setNotBefore(NumericDate.fromSeconds(now - 5));
        claims.setExpirationTime(NumericDate.fromSeconds(now + lifetimeSeconds));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }
}
