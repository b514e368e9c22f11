package dev.idsync.infra.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Bearer tokens for idsync's APIs in tests, minted by the emulator's demo tenant (the issuer the
 * services are configured with by {@link EmulatorResource}), with the idsync roles given.
 * <p>
 * What a token may do (its idsync roles) and on which idsync tenants (its tenant scope) are separate
 * (docs/CONTRACT.md, "Security"): {@link #bearer} and {@link #bearerForUser} are valid for <b>every</b>
 * tenant (they carry the operator role {@value #OPERATOR}); {@link #bearerForTenants} is valid for the
 * tenants given only (one app role {@value #TENANT_PREFIX}{@code <tenant>} each), for tests of tenant
 * isolation.
 */
public final class TestTokens {

    /** The role that grants every tenant (api-support's {@code Roles.OPERATOR}). */
    public static final String OPERATOR = "idsync.operator";
    /** The app role prefix that grants one tenant (api-support's {@code Roles.tenant(..)}). */
    public static final String TENANT_PREFIX = "idsync.tenant.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTokens() {
    }

    /**
     * {@code "Bearer <jwt>"} for a subject unknown to the directory ({@code test-user}), with these roles,
     * valid for every tenant (global operator scope).
     */
    public static String bearer(String emulatorUrl, String... roles) {
        return bearerFor(emulatorUrl, "subject", "test-user", withRole(List.of(roles), OPERATOR));
    }

    /**
     * {@code "Bearer <jwt>"} for a user of the demo tenant (its groups become the token's groups claim), valid
     * for every tenant (global operator scope).
     */
    public static String bearerForUser(String emulatorUrl, String userId, String... roles) {
        return bearerFor(emulatorUrl, "userId", userId, withRole(List.of(roles), OPERATOR));
    }

    /**
     * {@code "Bearer <jwt>"} for {@code test-user} with these roles, valid for the given idsync tenants only;
     * no tenants: a token valid for none.
     */
    public static String bearerForTenants(String emulatorUrl, Collection<String> tenants, String... roles) {
        List<String> all = new ArrayList<>(List.of(roles));
        tenants.forEach(tenant -> all.add(TENANT_PREFIX + tenant));
        return bearerFor(emulatorUrl, "subject", "test-user", all);
    }

    private static List<String> withRole(List<String> roles, String role) {
        List<String> all = new ArrayList<>(roles);
        all.add(role);
        return all;
    }

    private static String bearerFor(String emulatorUrl, String idField, String id, List<String> roles) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put(idField, id);
        spec.put("audience", EmulatorConfig.API_CLIENT_ID);
        var roleArray = spec.putArray("roles");
        roles.forEach(roleArray::add);
        String token = EmulatorControl.at(emulatorUrl)
                .post("/_emulator/tenants/" + EmulatorConfig.ISSUER_TENANT + "/tokens", spec.toString())
                .path("token").asText(null);
        if (token == null) {
            throw new IllegalStateException("the emulator issued no token for " + spec);
        }
        return "Bearer " + token;
    }
}
