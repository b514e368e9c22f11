package dev.idsync.emulator.authority;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.idsync.emulator.directory.AppRegistration;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Entra authority endpoints of every tenant: the v2.0 token endpoint (client credentials, and the
 * authorization code of {@link SignInRoutes}' sign-in page), OpenID
 * discovery and JWKS. Mounted on the plain HTTP server and on the HTTPS authority, because azure-identity
 * insists on HTTPS while other clients (quarkus-oidc in the local stack) are happy with HTTP.
 */
@ApplicationScoped
public class AuthorityRoutes {

    private final TenantRegistry tenants;
    private final TokenIssuer issuer;
    private final SigningKeys keys;
    private final ObjectMapper json;
    private final Clock clock;
    private final Optional<String> configuredIssuerBase;
    private final SignInRoutes signIn;
    private final AuthorizationCodes codes;

    public AuthorityRoutes(TenantRegistry tenants, TokenIssuer issuer, SigningKeys keys, ObjectMapper json, Clock clock,
                           SignInRoutes signIn, AuthorizationCodes codes,
                           @ConfigProperty(name = "idsync.emulator.oidc.issuer-base-url") Optional<String> configuredIssuerBase) {
        this.tenants = tenants;
        this.issuer = issuer;
        this.keys = keys;
        this.json = json;
        this.clock = clock;
        this.signIn = signIn;
        this.codes = codes;
        this.configuredIssuerBase = configuredIssuerBase.map(AuthorityRoutes::withoutTrailingSlash);
    }

    public void register(Router router) {
        router.post("/:tenant/oauth2/v2.0/token").handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(this::token);
        router.get("/:tenant/v2.0/.well-known/openid-configuration").handler(this::discovery);
        router.get("/:tenant/discovery/v2.0/keys").handler(this::jwks);
        router.get("/common/discovery/keys").handler(this::jwks);
        signIn.register(router);
    }

    /** The issuer of tokens for a tenant, as it appears in discovery and in every token. */
    public String issuerFor(String tenantId, String requestBase) {
        return configuredIssuerBase.orElse(withoutTrailingSlash(requestBase)) + "/" + tenantId + "/v2.0";
    }

    private void token(RoutingContext ctx) {
        String tenantId = ctx.pathParam("tenant");
        HttpServerRequest request = ctx.request();
        Optional<Tenant> tenant = tenants.find(tenantId);
        if (tenant.isEmpty()) {
            aadError(ctx, 400, "invalid_request", 90002, "Tenant '" + tenantId + "' not found. Check to make sure you "
                    + "have the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        dev.idsync.emulator.faults.RequestLog.attachBody(ctx, redactedForm(request));
        String grantType = request.getFormAttribute("grant_type");
        if (grantType == null) {
            aadError(ctx, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'grant_type'.");
            return;
        }
        if (grantType.equals("authorization_code")) {
            codeExchange(ctx, tenant.get());
            return;
        }
        if (!grantType.equals("client_credentials")) {
            aadError(ctx, 400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.");
            return;
        }
        String[] basic = basicCredentials(request.getHeader("Authorization"));
        String clientId = basic != null ? basic[0] : request.getFormAttribute("client_id");
        String secret = basic != null ? basic[1] : request.getFormAttribute("client_secret");
        if (clientId == null) {
            aadError(ctx, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'client_id'.");
            return;
        }
        Optional<AppRegistration> app = tenant.get().app(clientId);
        if (app.isEmpty()) {
            aadError(ctx, 401, "invalid_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant.get().id() + "'. This can happen if the application "
                    + "has not been installed by the administrator of the tenant or consented to by any user in the "
                    + "tenant. You may have sent your authentication request to the wrong tenant.");
            return;
        }
        if (secret == null || !constantTimeEquals(secret, app.get().clientSecret())) {
            aadError(ctx, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent "
                    + "in the request is the client secret value, not the client secret ID, for a secret added to app '"
                    + clientId + "'.");
            return;
        }
        String scope = request.getFormAttribute("scope");
        if (scope == null || scope.isBlank()) {
            aadError(ctx, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'scope'.");
            return;
        }
        Optional<String> resource = List.of(scope.trim().split("\\s+")).stream()
                .filter(s -> s.endsWith("/.default")).findFirst()
                .map(s -> s.substring(0, s.length() - "/.default".length()));
        if (resource.isEmpty()) {
            aadError(ctx, 400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource "
                    + "identifier (application ID URI).");
            return;
        }
        String accessToken = issuer.issueAppToken(tenant.get(), app.get(), resource.get(),
                issuerFor(tenant.get().id(), requestBase(ctx)));
        ObjectNode body = json.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", TokenIssuer.APP_TOKEN_SECONDS);
        body.put("ext_expires_in", TokenIssuer.APP_TOKEN_SECONDS);
        body.put("access_token", accessToken);
        ctx.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store, no-cache")
                .end(body.toString());
    }

    /**
     * The code of a sign-in for an ID token (audience: the client) and an access token for the API named by
     * the scope ({@code <api>/.default} or {@code api://<api>/<scope>}, as at Entra), both with the roles
     * chosen at sign-in. A client the tenant has registered must authenticate with its secret; any other is
     * taken as a public client (the emulator registers no web apps), for which PKCE is what binds the code.
     */
    private void codeExchange(RoutingContext ctx, Tenant tenant) {
        HttpServerRequest request = ctx.request();
        String[] basic = basicCredentials(request.getHeader("Authorization"));
        String clientId = basic != null ? basic[0] : request.getFormAttribute("client_id");
        String secret = basic != null ? basic[1] : request.getFormAttribute("client_secret");
        Optional<AuthorizationCodes.Grant> grant = codes.redeem(request.getFormAttribute("code"));
        if (grant.isEmpty() || !grant.get().tenantId().equals(tenant.id())) {
            aadError(ctx, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired "
                    + "due to inactivity, was already redeemed or was issued for another tenant.");
            return;
        }
        if (clientId == null || !clientId.equals(grant.get().clientId())
                || !grant.get().redirectUri().equals(request.getFormAttribute("redirect_uri"))) {
            aadError(ctx, 400, "invalid_grant", 50148, "The code was issued to another client or redirect URI.");
            return;
        }
        Optional<AppRegistration> app = tenant.app(clientId);
        if (app.isPresent() && (secret == null || !constantTimeEquals(secret, app.get().clientSecret()))) {
            aadError(ctx, 401, "invalid_client", 7000215, "Invalid client secret provided for app '" + clientId + "'.");
            return;
        }
        if (!AuthorizationCodes.verifierMatches(grant.get(), request.getFormAttribute("code_verifier"))) {
            aadError(ctx, 400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied "
                    + "in the authorization request.");
            return;
        }
        AuthorizationCodes.Grant g = grant.get();
        String objectId = UUID.nameUUIDFromBytes((tenant.id() + ":" + g.username()).getBytes(StandardCharsets.UTF_8))
                .toString();
        String issuerUrl = issuerFor(tenant.id(), requestBase(ctx));
        TokenIssuer.GroupsClaim noGroups = new TokenIssuer.GroupsClaim.Omitted();
        String idToken = issuer.issueUserToken(new UserTokenRequest(objectId, objectId, clientId, clientId, g.name(),
                g.username(), g.roles(), 3600, g.nonce(), null), tenant, issuerUrl, noGroups);
        String accessToken = issuer.issueUserToken(new UserTokenRequest(objectId, objectId, apiOf(g.scope(), clientId),
                clientId, g.name(), g.username(), g.roles(), 3600, null, null), tenant, issuerUrl, noGroups);
        ObjectNode body = json.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("scope", g.scope() == null ? "" : g.scope());
        body.put("expires_in", 3600);
        body.put("ext_expires_in", 3600);
        body.put("access_token", accessToken);
        body.put("id_token", idToken);
        ctx.response().setStatusCode(200)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store, no-cache")
                .end(body.toString());
    }

    /** The API a scope names ({@code idsync-api/.default}, {@code api://idsync-api/access}); none: the client itself. */
    static String apiOf(String scope, String clientId) {
        if (scope != null) {
            for (String s : scope.trim().split("\\s+")) {
                int slash = s.lastIndexOf('/');
                if (slash > 0) {
                    String resource = s.substring(0, slash);
                    return resource.startsWith("api://") ? resource.substring("api://".length()) : resource;
                }
            }
        }
        return clientId;
    }

    private void discovery(RoutingContext ctx) {
        String tenantId = ctx.pathParam("tenant");
        Optional<Tenant> tenant = tenants.find(tenantId);
        if (tenant.isEmpty()) {
            aadError(ctx, 400, "invalid_tenant", 90002, "Tenant '" + tenantId + "' not found. Check to make sure you "
                    + "have the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        String base = withoutTrailingSlash(requestBase(ctx)) + "/" + tenant.get().id();
        ObjectNode doc = json.createObjectNode();
        doc.put("token_endpoint", base + "/oauth2/v2.0/token");
        doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("client_secret_basic");
        doc.put("jwks_uri", base + "/discovery/v2.0/keys");
        doc.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("code_challenge_methods_supported").add("S256").add("plain");
        doc.putArray("grant_types_supported").add("authorization_code").add("client_credentials");
        doc.putArray("response_types_supported").add("code").add("id_token").add("code id_token").add("id_token token");
        doc.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        doc.put("issuer", issuerFor(tenant.get().id(), requestBase(ctx)));
        doc.put("request_uri_parameter_supported", false);
        doc.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        doc.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
        doc.putArray("claims_supported").add("sub").add("iss").add("aud").add("exp").add("iat").add("name")
                .add("preferred_username").add("oid").add("tid").add("roles").add("groups");
        doc.put("tenant_region_scope", "EU");
        doc.put("cloud_instance_name", "localhost");
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(doc.toString());
    }

    private void jwks(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(keys.jwksJson());
    }

    /** AADSTS error body as the Microsoft identity platform sends it. */
    private void aadError(RoutingContext ctx, int status, String error, int code, String description) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = Optional.ofNullable(ctx.request().getHeader("client-request-id"))
                .orElse(UUID.randomUUID().toString());
        String timestamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
                .format(clock.instant().atZone(java.time.ZoneOffset.UTC));
        ObjectNode body = json.createObjectNode();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + description + "\r\nTrace ID: " + traceId
                + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(code);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body.toString());
    }

    static String requestBase(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        return ctx.request().scheme() + "://" + (host != null ? host : "localhost");
    }

    private static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new String[] {
                java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    }

    /** The form as received, with the client secret blanked: the request log must never hold a secret. */
    private static String redactedForm(HttpServerRequest request) {
        StringBuilder sb = new StringBuilder();
        request.formAttributes().forEach(e -> sb.append(sb.isEmpty() ? "" : "&").append(e.getKey()).append('=')
                .append(e.getKey().equals("client_secret") ? "[redacted]" : e.getValue()));
        return sb.toString();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String withoutTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
