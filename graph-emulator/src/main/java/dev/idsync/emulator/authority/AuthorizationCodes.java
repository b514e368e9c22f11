package dev.idsync.emulator.authority;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization codes of the sign-in page: issued once per sign-in, redeemed once at the token
 * endpoint (a second redemption fails, as at Entra), valid for a few minutes, bound to the client, the
 * redirect URI and, when the client sent one, the PKCE challenge.
 */
@ApplicationScoped
public class AuthorizationCodes {

    /** Entra's codes live about ten minutes; a sign-in in a test takes seconds. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    /** Who signed in and what the client asked for, remembered between the sign-in and the token request. */
    public record Grant(String tenantId, String clientId, String redirectUri, String scope, String nonce,
                        String codeChallenge, String codeChallengeMethod, String username, String name,
                        List<String> roles, Instant expiresAt) {
        public Grant {
            roles = List.copyOf(roles);
        }
    }

    private final ConcurrentHashMap<String, Grant> codes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public AuthorizationCodes(Clock clock) {
        this.clock = clock;
    }

    public String issue(Grant grant) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        codes.values().removeIf(g -> g.expiresAt().isBefore(clock.instant()));
        codes.put(code, grant);
        return code;
    }

    /** The grant of an unexpired code, removing it: a code is good for one token request only. */
    public Optional<Grant> redeem(String code) {
        if (code == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(codes.remove(code)).filter(g -> g.expiresAt().isAfter(clock.instant()));
    }

    public Instant expiry() {
        return clock.instant().plus(LIFETIME);
    }

    /** RFC 7636: {@code S256} compares the hashed verifier, {@code plain} the verifier itself. */
    public static boolean verifierMatches(Grant grant, String verifier) {
        if (grant.codeChallenge() == null) {
            return true;
        }
        if (verifier == null) {
            return false;
        }
        String expected = "plain".equals(grant.codeChallengeMethod()) ? verifier : s256(verifier);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                grant.codeChallenge().getBytes(StandardCharsets.US_ASCII));
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
