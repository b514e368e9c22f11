package dev.idsync.profile.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.api.Roles;
import dev.idsync.events.UserUpserted;
import dev.idsync.profile.read.ProfileReader;
import dev.idsync.profile.read.UserImporter;
import dev.idsync.profile.update.ProfilePatch;
import dev.idsync.profile.update.ProfilePatchParser;
import dev.idsync.profile.update.ProfileUpdater;
import dev.idsync.profile.update.ProfileView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The profile API: read, pessimistic update, single-user import. Errors are problem+json (api-support). */
@Path("/api/tenants/{tenant}/users/{userId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Profiles", description = "Read a profile, update it pessimistically in Entra, import a single user.")
public class ProfileResource {

    private final ProfileReader reader;
    private final ProfileUpdater updater;
    private final UserImporter importer;
    private final SecurityIdentity identity;

    ProfileResource(ProfileReader reader, ProfileUpdater updater, UserImporter importer, SecurityIdentity identity) {
        this.reader = reader;
        this.updater = updater;
        this.importer = importer;
        this.identity = identity;
    }

    @GET
    @Path("profile")
    @RolesAllowed({Roles.READER, Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Read a profile", description = "Entra's attributes and the local-only fields; `ETag` "
            + "for a conditional update.")
    @APIResponse(responseCode = "200", description = "The profile.", headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "404", description = "Not Found: unknown tenant, or Entra has no such user (\"User not found\").")
    @APIResponse(responseCode = "502", description = "Bad Gateway: Entra refused idsync (\"No valid admin token\", "
            + "\"Access denied\" naming the permission) or failed.")
    @APIResponse(responseCode = "503", description = "Service Unavailable: Entra stayed throttled or unavailable through "
            + "the retries (`Retry-After`), or another update of the user is in progress.")
    public Response get(@PathParam("tenant") String tenant, @PathParam("userId") String userId) {
        logContext(tenant, null);
        ProfileView view = reader.read(tenant, userId);
        return Response.ok(view).header(HttpHeaders.ETAG, view.etag()).build();
    }

    @PATCH
    @Path("profile")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Update a profile", description = "JSON merge patch of the writable fields. Pessimistic: "
            + "Entra is written first and re-read; nothing is saved locally when Entra refuses. `If-Match` (optional) "
            + "with the ETag read; `X-Request-Id` (optional) keeps a retried request's event ids.")
    @APIResponse(responseCode = "200", description = "The profile as Entra now holds it.", headers = @Header(name = "ETag", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "404", description = "Not Found: unknown tenant, or Entra has no such user (\"User not found\").")
    @APIResponse(responseCode = "412", description = "Precondition Failed: the profile changed since the `If-Match` ETag.")
    @APIResponse(responseCode = "422", description = "Unprocessable Content: a field is unknown, not writable or invalid, "
            + "or Entra rejected its value; `errors` names each.")
    @APIResponse(responseCode = "502", description = "Bad Gateway: Entra refused idsync (\"No valid admin token\", "
            + "\"Access denied\" naming the permission) or failed.")
    @APIResponse(responseCode = "503", description = "Service Unavailable: Entra stayed throttled or unavailable through "
            + "the retries (`Retry-After`), or another update of the user is in progress.")
    public Response patch(@PathParam("tenant") String tenant, @PathParam("userId") String userId,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam("X-Request-Id") String requestId,
            @RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProfilePatchBody.class)),
                    @Content(mediaType = "application/merge-patch+json", schema = @Schema(implementation = ProfilePatchBody.class))})
            JsonNode body) {
        String id = requestId(requestId);
        logContext(tenant, id);
        // Validation comes first: an invalid request touches neither Entra, nor the database, nor Kafka.
        ProfilePatch patch = ProfilePatchParser.parse(body);
        ProfileView view = updater.update(new ProfileUpdater.UpdateRequest(tenant, userId, patch,
                Optional.ofNullable(ifMatch).filter(v -> !v.isBlank()), actor(), id));
        return Response.ok(view).header(HttpHeaders.ETAG, view.etag()).build();
    }

    @POST
    @Path("import")
    @RolesAllowed({Roles.WRITER, Roles.ADMIN})
    @Operation(summary = "Import a single user", description = "Reads the user from Entra now and publishes it "
            + "as an observation (before the next run would). Answer: tenantId, userId, observedAt, published (the event "
            + "type), data.")
    @APIResponse(responseCode = "200", description = "What was published.")
    @APIResponse(responseCode = "404", description = "Not Found: unknown tenant, or Entra has no such user (\"User not found\").")
    @APIResponse(responseCode = "502", description = "Bad Gateway: Entra refused idsync (\"No valid admin token\", "
            + "\"Access denied\" naming the permission) or failed.")
    @APIResponse(responseCode = "503", description = "Service Unavailable: Entra stayed throttled or unavailable through "
            + "the retries (`Retry-After`), or another update of the user is in progress.")
    public Map<String, Object> importUser(@PathParam("tenant") String tenant, @PathParam("userId") String userId,
            @HeaderParam("X-Request-Id") String requestId) {
        String id = requestId(requestId);
        logContext(tenant, id);
        UserUpserted event = importer.importUser(tenant, userId, id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tenantId", event.tenantId());
        answer.put("userId", event.objectId());
        answer.put("observedAt", event.observedAt());
        answer.put("published", event.ceType());
        answer.put("data", event.data());
        return answer;
    }

    /** Who asked: the token's user name if it has one, else its subject (reference 000: the audit trail). */
    private String actor() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            for (String claim : new String[] {"preferred_username", "upn", "unique_name", "sub"}) {
                Object value = jwt.getClaim(claim);
                if (value != null && !value.toString().isBlank()) {
                    return value.toString();
                }
            }
        }
        return identity.getPrincipal().getName();
    }

    /** Log lines carry the tenant and, as run id, the request id (the events' runId). Worker threads are reused: always set both. */
    private static void logContext(String tenant, String requestId) {
        MDC.put("tenant", tenant);
        if (requestId == null) {
            MDC.remove("runId");
        } else {
            MDC.put("runId", requestId);
        }
    }

    /** The client's X-Request-Id (so a retried request keeps its event ids), else a new one. */
    private static String requestId(String header) {
        return header != null && header.matches("[A-Za-z0-9._:-]{1,100}") ? header : UUID.randomUUID().toString();
    }
}
