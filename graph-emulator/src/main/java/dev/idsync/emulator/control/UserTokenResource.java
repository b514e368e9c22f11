package dev.idsync.emulator.control;

import dev.idsync.emulator.authority.AuthorityRoutes;
import dev.idsync.emulator.authority.TokenIssuer;
import dev.idsync.emulator.authority.UserTokenRequest;
import dev.idsync.emulator.control.ControlDtos.UserTokenSpec;
import dev.idsync.emulator.control.ControlDtos.UserTokenView;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.directory.TenantRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;

/**
 * Issues signed user tokens (ID or access) of a tenant, as Entra would after a sign-in, for tests and the
 * local stack: {@code roles} as given, {@code groups} from the directory (transitive, as Entra emits them)
 * or as given, and Entra's groups overage form when there are more groups than fit in a token.
 */
@Path("/_emulator/tenants/{tenantId}/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "User tokens", description = "Signed ID and access tokens of a tenant's users, as Entra issues after a sign-in.")
public class UserTokenResource {

    private final TenantRegistry tenants;
    private final TokenIssuer issuer;
    private final AuthorityRoutes authority;
    private final int overageLimit;

    public UserTokenResource(TenantRegistry tenants, TokenIssuer issuer, AuthorityRoutes authority,
                             @ConfigProperty(name = "idsync.emulator.oidc.groups-overage-limit", defaultValue = "200") int overageLimit) {
        this.tenants = tenants;
        this.issuer = issuer;
        this.authority = authority;
        this.overageLimit = overageLimit;
    }

    @POST
    @Operation(summary = "Issue a user token", description = "roles as given; groups from the directory (transitive) or as given, in Entra's overage form when too many.")
    @APIResponse(responseCode = "200", description = "The token.")
    @APIResponse(responseCode = "400", description = "Bad Request: the body is invalid.", content = @Content(mediaType = Problems.TYPE))
    @APIResponse(responseCode = "404", description = "Not Found: no such tenant or user.", content = @Content(mediaType = Problems.TYPE))
    public UserTokenView issue(@PathParam("tenantId") String tenantId, UserTokenSpec spec, @Context UriInfo uri) {
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> new TenantNotFoundException(tenantId));
        if (spec == null || spec.audience() == null || spec.audience().isBlank()) {
            throw new IllegalArgumentException("'audience' is required (the client id of the API the token is for)");
        }
        if (spec.userId() == null && spec.subject() == null) {
            throw new IllegalArgumentException("either 'userId' or 'subject' is required");
        }
        Optional<DirectoryObject> user = spec.userId() == null ? Optional.empty()
                : Optional.of(tenant.withReadLock(() -> tenant.findActive(spec.userId(), ObjectKind.USER)
                .orElseThrow(() -> new IllegalArgumentException("no active user '" + spec.userId() + "'"))));
        List<String> groups = spec.groups() != null ? List.copyOf(spec.groups())
                : user.map(u -> tenant.withReadLock(() -> tenant.transitiveGroups(u).stream()
                        .map(DirectoryObject::id).toList())).orElse(List.of());
        boolean overage = groups.size() > overageLimit;
        String objectId = user.map(DirectoryObject::id).orElse(spec.subject());
        String base = uri.getBaseUri().toString();
        int lifetime = spec.lifetimeSeconds() == null ? 3600 : spec.lifetimeSeconds();
        UserTokenRequest request = new UserTokenRequest(objectId, objectId, spec.audience(), spec.clientId(),
                user.map(u -> (String) u.value("displayName")).orElse(null),
                user.map(u -> (String) u.value("userPrincipalName")).orElse(null), spec.roles(), lifetime, spec.nonce(),
                spec.claims());
        boolean omitted = Boolean.TRUE.equals(spec.omitGroups());
        TokenIssuer.GroupsClaim claim = omitted ? new TokenIssuer.GroupsClaim.Omitted()
                : overage ? new TokenIssuer.GroupsClaim.Overage(base + "v1.0/users/" + objectId + "/getMemberObjects")
                : new TokenIssuer.GroupsClaim.Listed(groups);
        String token = issuer.issueUserToken(request, tenant, authority.issuerFor(tenant.id(), base), claim);
        return new UserTokenView(token, "Bearer", overage && !omitted, omitted ? 0 : groups.size(), lifetime);
    }

    @ServerExceptionMapper
    public Response problem(RuntimeException e) {
        return ControlExceptionMappers.map(e);
    }
}
