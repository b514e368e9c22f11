package dev.idsync.emulator;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test helper speaking the emulator's control API and token endpoint over real HTTP (RestAssured points at
 * the QuarkusTest's random port). Every test gets its own tenant, so tests never see each other's data.
 */
public final class EmulatorClient {

    public static final String CLIENT_ID = "idsync-test";
    public static final String CLIENT_SECRET = "test-secret-" + UUID.randomUUID();
    public static final String READ_ONLY_CLIENT_ID = "idsync-test-readonly";
    public static final List<String> SYNC_PERMISSIONS = List.of("User.Read.All", "Group.Read.All",
            "Directory.Read.All", "RoleManagement.Read.Directory", "User.ReadWrite.All");

    private EmulatorClient() {
    }

    /** A fresh tenant with a sync app (read + user write) and a read-only app. */
    public static String createTenant(String prefix) {
        String tenantId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of(
                        "tenantId", tenantId,
                        "displayName", "Northwind",
                        "domains", List.of("northwind.example", "northwind-labs.example"),
                        "apps", List.of(
                                Map.of("clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET, "permissions", SYNC_PERMISSIONS),
                                Map.of("clientId", READ_ONLY_CLIENT_ID, "clientSecret", CLIENT_SECRET,
                                        "permissions", List.of("User.Read.All", "Group.Read.All")))))
                .post("/_emulator/tenants").then().statusCode(201);
        return tenantId;
    }

    public static JsonPath seed(String tenantId, int users, int groups, int memberships, int roles, long seed) {
        return given().contentType(ContentType.JSON).body(Map.of("users", users, "groups", groups,
                        "memberships", memberships, "directoryRoles", roles, "disabledRatio", 0.05, "seed", seed))
                .post("/_emulator/tenants/{t}/seed", tenantId).then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath mutate(String tenantId, List<Map<String, Object>> operations) {
        return given().contentType(ContentType.JSON).body(Map.of("operations", operations))
                .post("/_emulator/tenants/{t}/mutations", tenantId).then().statusCode(200).extract().jsonPath();
    }

    public static void settings(String tenantId, Map<String, Object> settings) {
        given().contentType(ContentType.JSON).body(settings)
                .put("/_emulator/tenants/{t}/settings", tenantId).then().statusCode(200);
    }

    public static JsonPath snapshot(String tenantId) {
        return given().get("/_emulator/tenants/{t}/snapshot", tenantId).then().statusCode(200).extract().jsonPath();
    }

    public static String appToken(String tenantId, String clientId) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", CLIENT_SECRET).formParam("scope", "https://graph.example/.default")
                .post("/{t}/oauth2/v2.0/token", tenantId)
                .then().statusCode(200).extract().path("access_token");
    }

    public static String appToken(String tenantId) {
        return appToken(tenantId, CLIENT_ID);
    }

    /** GET with a bearer token and optional Prefer header, on a path or a full link the emulator returned. */
    public static Response graphGet(String token, String pathOrLink, String prefer) {
        var request = given().header("Authorization", "Bearer " + token).urlEncodingEnabled(false);
        if (prefer != null) {
            request = request.header("Prefer", prefer);
        }
        return request.get(pathOrLink);
    }

    public static Map<String, Object> op(String op, Object... keyValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("op", op);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
