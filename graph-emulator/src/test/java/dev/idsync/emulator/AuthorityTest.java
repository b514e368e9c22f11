package dev.idsync.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.emulator.authority.HttpsAuthorityServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token endpoint (HTTP and HTTPS), OIDC discovery, JWKS and the user-token control endpoint. */
@QuarkusTest
class AuthorityTest {

    @Inject
    HttpsAuthorityServer https;

    private String tenant;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("authority");
        EmulatorClient.seed(tenant, 400, 260, 400 * 10, 2, 17);
    }

    @Test
    void clientCredentialsOverTheExportedTruststoreYieldABearerToken() throws Exception {
        HttpResponse<String> response = httpsClient().send(HttpRequest.newBuilder(
                        URI.create(https.authorityHost() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + EmulatorClient.CLIENT_ID
                        + "&client_secret=" + EmulatorClient.CLIENT_SECRET + "&scope=https%3A%2F%2Fgraph.example%2F.default"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonPath body = new JsonPath(response.body());
        assertThat(body.getString("token_type")).isEqualTo("Bearer");
        assertThat(body.getInt("expires_in")).isEqualTo(3599);
        JwtClaims claims = verifier(tenant).processToClaims(body.getString("access_token"));
        assertThat(claims.getAudience()).containsExactly("https://graph.example");
        assertThat(claims.getStringListClaimValue("roles")).containsExactlyInAnyOrderElementsOf(EmulatorClient.SYNC_PERMISSIONS);
        assertThat(response.headers().firstValue("Date")).isPresent();
    }

    @Test
    void wrongSecretOrUnknownClientIs401WithAnAadstsError() {
        Response wrongSecret = token(EmulatorClient.CLIENT_ID, "not-the-secret", "https://graph.example/.default");
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.jsonPath().getString("error")).isEqualTo("invalid_client");
        assertThat(wrongSecret.jsonPath().getString("error_description")).startsWith("AADSTS7000215: Invalid client secret provided.");
        assertThat(wrongSecret.jsonPath().getList("error_codes")).containsExactly(7000215);

        Response unknownClient = token("no-such-app", EmulatorClient.CLIENT_SECRET, "https://graph.example/.default");
        assertThat(unknownClient.statusCode()).isEqualTo(401);
        assertThat(unknownClient.jsonPath().getString("error_description"))
                .startsWith("AADSTS700016: Application with identifier 'no-such-app' was not found in the directory '" + tenant + "'.");
    }

    @Test
    void clientCredentialsNeedADefaultScope() {
        Response response = token(EmulatorClient.CLIENT_ID, EmulatorClient.CLIENT_SECRET, "User.Read");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error")).isEqualTo("invalid_scope");
        assertThat(response.jsonPath().getString("error_description")).startsWith("AADSTS1002012:");
    }

    @Test
    void discoveryNamesTheIssuerAndJwksOfTheTenant() {
        JsonPath discovery = given().get("/{t}/v2.0/.well-known/openid-configuration", tenant).then().statusCode(200)
                .extract().jsonPath();
        String base = "http://localhost:" + io.restassured.RestAssured.port + "/" + tenant;
        assertThat(discovery.getString("issuer")).isEqualTo(base + "/v2.0");
        assertThat(discovery.getString("jwks_uri")).isEqualTo(base + "/discovery/v2.0/keys");
        assertThat(discovery.getString("token_endpoint")).isEqualTo(base + "/oauth2/v2.0/token");
        assertThat(given().get("/{t}/discovery/v2.0/keys", tenant).jsonPath().getList("keys")).hasSize(1);
    }

    @Test
    void issuedUserTokenCarriesRolesAndTheUsersGroupsFromTheDirectory() throws Exception {
        JsonPath snapshot = EmulatorClient.snapshot(tenant);
        String hrGroup = snapshot.getString("groups.find { it.displayName == 'App-Northwind-HR' }.id");
        String user = snapshot.getString("groups.find { it.displayName == 'App-Northwind-HR' }.members[0]");
        List<String> expectedGroups = snapshot.<Map<String, Object>>getList("groups").stream()
                .filter(g -> ((List<?>) g.get("members")).contains(user)).map(g -> (String) g.get("id")).toList();
        assertThat(expectedGroups).hasSizeLessThanOrEqualTo(200);

        JsonPath issued = issue(Map.of("userId", user, "audience", "idsync-api", "roles", List.of("idsync.reader")));

        JwtClaims claims = verifier(tenant).processToClaims(issued.getString("token"));
        assertThat(claims.getStringListClaimValue("roles")).containsExactly("idsync.reader");
        assertThat(claims.getStringListClaimValue("groups")).contains(hrGroup).containsExactlyInAnyOrderElementsOf(expectedGroups);
        assertThat(claims.getStringClaimValue("oid")).isEqualTo(user);
        assertThat(claims.getStringClaimValue("preferred_username")).endsWith(".example");
        assertThat(claims.getIssuer()).isEqualTo("http://localhost:" + io.restassured.RestAssured.port + "/" + tenant + "/v2.0");
        assertThat(issued.getBoolean("groupsOverage")).isFalse();
    }

    @Test
    void aUserInMoreThanTwoHundredGroupsGetsTheOverageFormInsteadOfAGroupsClaim() throws Exception {
        String user = EmulatorClient.snapshot(tenant).getString("users[0].id");
        List<String> groupIds = EmulatorClient.snapshot(tenant).getList("groups.id", String.class);
        EmulatorClient.mutate(tenant, groupIds.stream().limit(210)
                .map(g -> EmulatorClient.op("addMember", "groupId", g, "memberId", user)).toList());

        JsonPath issued = issue(Map.of("userId", user, "audience", "idsync-api"));

        assertThat(issued.getBoolean("groupsOverage")).isTrue();
        assertThat(issued.getInt("groupCount")).isGreaterThanOrEqualTo(210);
        JwtClaims claims = verifier(tenant).processToClaims(issued.getString("token"));
        assertThat(claims.hasClaim("groups")).isFalse();
        assertThat(claims.getClaimValue("_claim_names", Map.class)).isEqualTo(Map.of("groups", "src1"));
        Map<?, ?> sources = claims.getClaimValue("_claim_sources", Map.class);
        assertThat(((Map<?, ?>) sources.get("src1")).get("endpoint"))
                .isEqualTo("http://localhost:" + io.restassured.RestAssured.port + "/v1.0/users/" + user + "/getMemberObjects");
    }

    @Test
    void aTokenForAnAppWithoutGroupClaimsCarriesNoGroupInformationAtAll() throws Exception {
        String user = EmulatorClient.snapshot(tenant).getString("users[1].id");

        JsonPath issued = issue(Map.of("userId", user, "audience", "idsync-api", "omitGroups", true));

        JwtClaims claims = verifier(tenant).processToClaims(issued.getString("token"));
        assertThat(claims.getClaimValue("oid")).isEqualTo(user);
        assertThat(claims.hasClaim("groups")).isFalse();
        assertThat(claims.hasClaim("_claim_names")).isFalse();
        assertThat(issued.getBoolean("groupsOverage")).isFalse();
    }

    @Test
    void explicitGroupsAndASubjectWithoutDirectoryUserAreAccepted() throws Exception {
        JsonPath issued = issue(Map.of("subject", "external-42", "audience", "idsync-api", "groups", List.of("g1", "g2"),
                "roles", List.of("idsync.admin", "idsync.writer")));

        JwtClaims claims = verifier(tenant).processToClaims(issued.getString("token"));
        assertThat(claims.getSubject()).isEqualTo("external-42");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("g1", "g2");
    }

    private JsonPath issue(Map<String, Object> spec) {
        return given().contentType(ContentType.JSON).body(spec).post("/_emulator/tenants/{t}/tokens", tenant)
                .then().statusCode(200).extract().jsonPath();
    }

    private Response token(String clientId, String secret, String scope) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret).formParam("scope", scope)
                .post("/{t}/oauth2/v2.0/token", tenant);
    }

    /** Validates as a resource server would: signature from the tenant's published JWKS. */
    private static JwtConsumer verifier(String tenant) throws Exception {
        String jwks = given().get("/{t}/discovery/v2.0/keys", tenant).asString();
        return new JwtConsumerBuilder().setRequireExpirationTime().setSkipDefaultAudienceValidation()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .build();
    }

    private HttpClient httpsClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(https.truststorePath())) {
            trust.load(in, https.truststorePassword().toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }
}
