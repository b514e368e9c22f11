package dev.idsync.infra.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bearer tokens for idsync's APIs in tests, minted by the emulator's demo tenant (the issuer the
 * services are configured with by {@link EmulatorResource}), with the idsync roles given.
 */
public final class TestTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTokens() {
    }

    /** {@code "Bearer <jwt>"} for a subject unknown to the directory ({@code test-user}), with these roles. */
    public static String bearer(String emulatorUrl, String... roles) {
        return bearerFor(emulatorUrl, "subject", "test-user", roles);
    }

    /** {@code "Bearer <jwt>"} for a user of the demo tenant (its groups become the token's groups claim). */
    public static String bearerForUser(String emulatorUrl, String userId, String... roles) {
        return bearerFor(emulatorUrl, "userId", userId, roles);
    }

    private static String bearerFor(String emulatorUrl, String idField, String id, String... roles) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put(idField, id);
        spec.put("audience", EmulatorConfig.API_CLIENT_ID);
        var roleArray = spec.putArray("roles");
        for (String role : roles) {
            roleArray.add(role);
        }
        String token = EmulatorControl.at(emulatorUrl)
                .post("/_emulator/tenants/" + EmulatorConfig.ISSUER_TENANT + "/tokens", spec.toString())
                .path("token").asText(null);
        if (token == null) {
            throw new IllegalStateException("the emulator issued no token for " + spec);
        }
        return "Bearer " + token;
    }
}
