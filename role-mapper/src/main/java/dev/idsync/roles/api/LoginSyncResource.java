package dev.idsync.roles.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import dev.idsync.roles.login.LoginSync;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/tenants/{t}/login-sync} with the user's ID token as the bearer or as {@code idToken} in
 * the body. No idsync role is needed: the token itself is the credential — it is validated against the
 * tenant's issuer, and only what Entra asserted in it (this user's groups, at its issue time) is applied.
 * idsync's own issuer (quarkus-oidc) is not involved, hence {@code @PermitAll}.
 */
@Path("/api/tenants/{tenant}/login-sync")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Login sync", description = "Apply a user's groups from the ID token of their sign-in.")
public class LoginSyncResource {

    private final LoginSync loginSync;
    private final ObjectMapper json;

    LoginSyncResource(LoginSync loginSync, ObjectMapper json) {
        this.loginSync = loginSync;
        this.json = json;
    }

    /** The body is optional ({@code {"idToken": "..."}}), so it is read as text: no Content-Type needed without one. */
    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Sync a user's roles at sign-in", description = "Takes the user's own ID token (from "
            + "the tenant's issuer, not idsync's) as the bearer or as `{\"idToken\": \"...\"}`; it is validated against "
            + "that tenant's issuer, and only the groups Entra asserted in it (at its issue time) are applied.")
    @APIResponse(responseCode = "200", description = "The user's roles after the sync.")
    @APIResponse(responseCode = "400", description = "Bad Request: the body is not a JSON object with at most `idToken` "
            + "as a string.")
    @APIResponse(responseCode = "401", description = "Unauthorized: no ID token, or not a valid one of the tenant's issuer.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant is not in idsync.yaml.")
    @APIResponse(responseCode = "422", description = "Unprocessable Content: the token lacks a claim the sync needs, "
            + "or its group overage cannot be resolved.")
    public LoginSync.Result sync(@PathParam("tenant") String tenant,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @RequestBody(required = false, description = "Optional `{\"idToken\": \"...\"}` instead of the bearer.") String body) {
        String fromBody = idTokenIn(body);
        String token = fromBody != null ? fromBody
                : authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? authorization.substring(7).trim() : null;
        if (token == null) {
            throw new ProblemException(401, "Unauthorized", "the user's ID token is required, as bearer or as 'idToken'");
        }
        MDC.put("tenant", tenant);
        try {
            return loginSync.sync(tenant, token);
        } finally {
            MDC.remove("tenant");
        }
    }

    private String idTokenIn(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("body", "not JSON: " + e.getOriginalMessage());
        }
        // Read by hand (the body is optional), so refused here like every other API's strict body: an object
        // with at most the field idToken, as a string.
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest("body", "must be a JSON object {\"idToken\": \"...\"}");
        }
        List<FieldError> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!name.equals("idToken")) {
                unknown.add(new FieldError(name, "unknown field; the body has only 'idToken'"));
            }
        });
        if (!unknown.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "unknown field(s) in the body", unknown);
        }
        JsonNode token = node.get("idToken");
        if (token == null || token.isNull()) {
            return null;
        }
        if (!token.isTextual() || token.asText().isBlank()) {
            throw ProblemException.badRequest("idToken", "must be the ID token as a string");
        }
        return token.asText();
    }
}
