package dev.idsync.infra.test;

import java.util.Map;

/**
 * The configuration a service under test gets for the shared emulator. The OIDC part makes the
 * service accept the tokens that {@link TestTokens} mints in the emulator's demo tenant, exactly as
 * it accepts a real Entra tenant's tokens in production (issuer discovery, JWKS, audience, roles).
 */
public final class EmulatorConfig {

    /** The emulator tenant whose issuer protects idsync's APIs in tests and in the local stack. */
    public static final String ISSUER_TENANT = "contoso";
    /** The client id (audience) of idsync's API. */
    public static final String API_CLIENT_ID = "idsync-api";

    public static final String URL = "idsync.test.emulator.url";
    public static final String AUTHORITY = "idsync.test.emulator.authority";
    public static final String TRUSTSTORE = "idsync.test.emulator.truststore";

    private EmulatorConfig() {
    }

    static Map<String, String> of(String url, String authority, String truststore) {
        return Map.of(
                URL, url,
                AUTHORITY, authority,
                TRUSTSTORE, truststore,
                "quarkus.oidc.auth-server-url", url + "/" + ISSUER_TENANT + "/v2.0",
                "quarkus.oidc.client-id", API_CLIENT_ID);
    }
}
