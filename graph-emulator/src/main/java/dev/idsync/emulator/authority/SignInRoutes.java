package dev.idsync.emulator.authority;

import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantRegistry;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The interactive half of the authorization code flow, which Entra does with its sign-in pages: the
 * {@code authorize} endpoint shows a small sign-in form where the person testing picks the emulated
 * identity (user name, idsync roles, tenant scope) instead of entering a password, and answers with a code
 * for the client's redirect URI; {@link AuthorityRoutes} exchanges the code for tokens. Also the
 * {@code logout} endpoint, which forgets nothing (the emulator keeps no session) and sends the browser back.
 */
@ApplicationScoped
public class SignInRoutes {

    /** The roles the form offers: what a token may do, and the global tenant scope (docs/CONTRACT.md "Security"). */
    static final List<String> ROLES = List.of("idsync.reader", "idsync.writer", "idsync.admin", "idsync.operator");
    private static final List<String> PASSED_ON = List.of("client_id", "redirect_uri", "scope", "state", "nonce",
            "code_challenge", "code_challenge_method", "response_mode");

    private final TenantRegistry tenants;
    private final AuthorizationCodes codes;

    public SignInRoutes(TenantRegistry tenants, AuthorizationCodes codes) {
        this.tenants = tenants;
        this.codes = codes;
    }

    void register(Router router) {
        router.get("/:tenant/oauth2/v2.0/authorize").handler(this::form);
        router.post("/:tenant/oauth2/v2.0/authorize").handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(this::signIn);
        router.get("/:tenant/oauth2/v2.0/logout").handler(this::logout);
    }

    private void form(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Optional<String> refused = refusal(ctx.pathParam("tenant"), request.getParam("client_id"),
                request.getParam("redirect_uri"), request.getParam("response_type"));
        if (refused.isPresent()) {
            page(ctx, 400, "<h1>Sign-in refused</h1><p role=\"alert\">" + html(refused.get()) + "</p>");
            return;
        }
        StringBuilder hidden = new StringBuilder();
        for (String name : PASSED_ON) {
            String value = request.getParam(name);
            if (value != null) {
                hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(html(value))
                        .append("\">");
            }
        }
        String tenant = ctx.pathParam("tenant");
        StringBuilder roles = new StringBuilder();
        for (String role : ROLES) {
            String id = "role-" + role.replace('.', '-');
            roles.append("<div><input type=\"checkbox\" name=\"role\" value=\"").append(role).append("\" id=\"")
                    .append(id).append("\"").append(role.equals("idsync.reader") ? " checked" : "").append("> <label for=\"")
                    .append(id).append("\">").append(role).append("</label></div>");
        }
        page(ctx, 200, """
                <h1>Sign in to %s (graph-emulator)</h1>
                <p>An emulated Entra sign-in: choose who you are and which idsync app roles your token carries.
                There is no password; this page exists only in the emulator.</p>
                <form method="post">%s
                <div><label for="username">User name</label>
                <input id="username" name="username" required value="admin@%s.example" autocomplete="username"></div>
                <div><label for="name">Display name</label> <input id="name" name="name" value="Emulated Admin"></div>
                <fieldset><legend>idsync roles</legend>%s</fieldset>
                <div><label for="tenants">Tenants (idsync.tenant.&lt;id&gt;, comma separated)</label>
                <input id="tenants" name="tenants" value=""></div>
                <button type="submit" id="sign-in">Sign in</button>
                </form>""".formatted(html(tenant), hidden, html(tenant), roles));
    }

    private void signIn(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String tenantId = ctx.pathParam("tenant");
        String clientId = request.getFormAttribute("client_id");
        String redirectUri = request.getFormAttribute("redirect_uri");
        Optional<String> refused = refusal(tenantId, clientId, redirectUri, "code");
        String username = Optional.ofNullable(request.getFormAttribute("username")).map(String::trim).orElse("");
        if (refused.isEmpty() && username.isEmpty()) {
            refused = Optional.of("a user name is required");
        }
        if (refused.isPresent()) {
            page(ctx, 400, "<h1>Sign-in refused</h1><p role=\"alert\">" + html(refused.get()) + "</p>");
            return;
        }
        List<String> roles = new ArrayList<>(request.formAttributes().getAll("role").stream()
                .filter(ROLES::contains).toList());
        String scoped = Optional.ofNullable(request.getFormAttribute("tenants")).orElse("");
        for (String tenant : scoped.split("[,\\s]+")) {
            if (!tenant.isBlank()) {
                roles.add("idsync.tenant." + tenant.trim());
            }
        }
        String name = Optional.ofNullable(request.getFormAttribute("name")).filter(n -> !n.isBlank()).orElse(username);
        String code = codes.issue(new AuthorizationCodes.Grant(tenantId, clientId, redirectUri,
                request.getFormAttribute("scope"), request.getFormAttribute("nonce"),
                request.getFormAttribute("code_challenge"), request.getFormAttribute("code_challenge_method"),
                username, name, roles, codes.expiry()));
        String state = request.getFormAttribute("state");
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + encode(code)
                + (state == null ? "" : "&state=" + encode(state));
        ctx.response().setStatusCode(302).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
    }

    private void logout(RoutingContext ctx) {
        String back = ctx.request().getParam("post_logout_redirect_uri");
        if (back != null && absoluteHttp(back)) {
            ctx.response().setStatusCode(302).putHeader("Location", back).end();
        } else {
            page(ctx, 200, "<h1>Signed out</h1>");
        }
    }

    private Optional<String> refusal(String tenantId, String clientId, String redirectUri, String responseType) {
        Optional<Tenant> tenant = tenants.find(tenantId);
        if (tenant.isEmpty()) {
            return Optional.of("AADSTS90002: Tenant '" + tenantId + "' not found.");
        }
        if (clientId == null || clientId.isBlank()) {
            return Optional.of("AADSTS900144: The request body must contain the following parameter: 'client_id'.");
        }
        if (redirectUri == null || !absoluteHttp(redirectUri)) {
            return Optional.of("AADSTS50011: The redirect URI must be an absolute http(s) URI.");
        }
        if (!"code".equals(responseType)) {
            return Optional.of("AADSTS700054: response_type '" + responseType + "' is not enabled; use 'code'.");
        }
        return Optional.empty();
    }

    private static boolean absoluteHttp(String uri) {
        try {
            URI parsed = URI.create(uri);
            return parsed.isAbsolute() && ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void page(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in (graph-emulator)</title>"
                        + "<style>body{font-family:sans-serif;max-width:36rem;margin:2rem auto;color:#111}"
                        + "div{margin:.5rem 0}input[type=text],input:not([type]){width:100%;padding:.3rem}"
                        + "button{padding:.5rem 1rem;background:#0b57d0;color:#fff;border:0}"
                        + ":focus{outline:3px solid #f59e0b}</style></head><body><main>" + body + "</main></body></html>");
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
