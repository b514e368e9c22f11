package dev.idsync.emulator.authority;

import java.util.List;
import java.util.Map;

/**
 * A resolved request for a user token (see the control endpoint).
 *
 * @param subject           {@code sub}
 * @param objectId          {@code oid}: the user's object id
 * @param audience          {@code aud}: the client id of the idsync API
 * @param lifetimeSeconds   token lifetime
 */
public record UserTokenRequest(String subject, String objectId, String audience, String clientId, String name,
                               String preferredUsername, List<String> roles, int lifetimeSeconds, String nonce,
                               Map<String, Object> extraClaims) {

    public UserTokenRequest {
        roles = roles == null ? List.of() : List.copyOf(roles);
        extraClaims = extraClaims == null ? Map.of() : Map.copyOf(extraClaims);
    }
}
