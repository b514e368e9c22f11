package dev.idsync.emulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The authorization code flow of the sign-in page: authorize form, code, PKCE-checked exchange for tokens. */
@QuarkusTest
class SignInTest {

    private static final String CLIENT = "idsync-admin-console";
    private static final String REDIRECT = "http://127.0.0.1:8086/signed-in";
    private static final String VERIFIER = "a-verifier-of-enough-length-for-pkce-0123456789abcdefghij";

    private String tenant;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("signin");
    }

    @Test
    void the_authorize_endpoint_shows_a_labelled_sign_in_form_that_carries_the_clients_parameters() {
        Response form = given().redirects().follow(false)
                .queryParams("client_id", CLIENT, "redirect_uri", REDIRECT, "response_type", "code", "state", "s-1",
                        "scope", "openid api://idsync-api/.default", "code_challenge", challenge(VERIFIER),
                        "code_challenge_method", "S256")
                .get("/" + tenant + "/oauth2/v2.0/authorize");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.contentType()).startsWith("text/html");
        assertThat(form.body().asString()).contains("<label for=\"username\">", "name=\"state\" value=\"s-1\"",
                "value=\"idsync.admin\"", "name=\"code_challenge\"");
    }

    @Test
    void a_sign_in_redirects_with_a_code_that_yields_id_and_access_tokens_with_the_chosen_roles_once() throws Exception {
        String code = signIn();
        Response wrongVerifier = exchange(code, "not-the-verifier");
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(wrongVerifier.jsonPath().getString("error")).isEqualTo("invalid_grant");

        String again = signIn();
        Response tokens = exchange(again, VERIFIER);
        assertThat(tokens.statusCode()).isEqualTo(200);
        JwtClaims id = claims(tokens.jsonPath().getString("id_token"));
        JwtClaims access = claims(tokens.jsonPath().getString("access_token"));
        assertThat(id.getAudience()).containsExactly(CLIENT);
        assertThat(access.getAudience()).containsExactly("idsync-api");
        assertThat(access.getStringListClaimValue("roles"))
                .containsExactlyInAnyOrder("idsync.reader", "idsync.admin", "idsync.tenant.contoso");
        assertThat(access.getClaimValueAsString("preferred_username")).isEqualTo("ada@contoso.example");
        assertThat(access.getIssuer()).endsWith("/" + tenant + "/v2.0");

        Response replay = exchange(again, VERIFIER);
        assertThat(replay.statusCode()).as("a code is good for one token request").isEqualTo(400);
        assertThat(replay.jsonPath().getString("error")).isEqualTo("invalid_grant");
    }

    @Test
    void a_redirect_uri_that_is_not_absolute_http_is_refused_on_the_page() {
        Response refused = given().queryParams("client_id", CLIENT, "redirect_uri", "javascript:alert(1)",
                "response_type", "code").get("/" + tenant + "/oauth2/v2.0/authorize");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body().asString()).contains("AADSTS50011");
    }

    private String signIn() {
        Response redirect = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("client_id", CLIENT).formParam("redirect_uri", REDIRECT).formParam("state", "s-2")
                .formParam("scope", "openid api://idsync-api/.default").formParam("code_challenge", challenge(VERIFIER))
                .formParam("code_challenge_method", "S256").formParam("username", "ada@contoso.example")
                .formParam("name", "Ada").formParam("role", "idsync.reader").formParam("role", "idsync.admin")
                .formParam("role", "not-offered").formParam("tenants", "contoso")
                .post("/" + tenant + "/oauth2/v2.0/authorize");
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI location = URI.create(redirect.header("Location"));
        assertThat(location.toString()).startsWith(REDIRECT + "?code=").endsWith("&state=s-2");
        return location.getQuery().replaceAll("^code=([^&]+)&.*$", "$1");
    }

    private Response exchange(String code, String verifier) {
        return given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic(CLIENT, "any-secret")
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", REDIRECT).formParam("code_verifier", verifier)
                .post("/" + tenant + "/oauth2/v2.0/token");
    }

    private JwtClaims claims(String jwt) throws Exception {
        // Signature checked elsewhere (AuthorityTest); here what the tokens say.
        return new JwtConsumerBuilder().setSkipSignatureVerification().setSkipDefaultAudienceValidation()
                .setRequireExpirationTime().build().processToClaims(jwt);
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
