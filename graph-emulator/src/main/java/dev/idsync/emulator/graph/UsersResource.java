package dev.idsync.emulator.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.emulator.authority.GraphAuthenticator;
import dev.idsync.emulator.authority.GraphCaller;
import dev.idsync.emulator.authority.GraphPermissions;
import dev.idsync.emulator.delta.SelectClause;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.faults.RequestLog;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Graph v1.0 {@code /users}: delta, read, PATCH, memberOf, getMemberGroups and getMemberObjects. */
@Path("/v1.0/users")
public class UsersResource {

    /** Membership reads need user and group read rights on Graph; any of these grants both here. */
    private static final Set<String> MEMBERSHIP_READ = union(GraphPermissions.READ_USERS, GraphPermissions.READ_GROUPS);

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private final DeltaEndpoint delta;
    private final GraphAuthenticator authenticator;
    private final ObjectMapper json;

    public UsersResource(DeltaEndpoint delta, GraphAuthenticator authenticator, ObjectMapper json) {
        this.delta = delta;
        this.authenticator = authenticator;
        this.json = json;
    }

    /** Also under the names the SDKs use: {@code delta()} and {@code microsoft.graph.delta()}. */
    @GET
    @Path("{function: delta|delta\\(\\)|microsoft\\.graph\\.delta\\(\\)}")
    public Response delta(@Context HttpHeaders headers, @Context UriInfo uri, @QueryParam("$select") String select,
                          @QueryParam("$deltatoken") String deltaToken, @QueryParam("$skiptoken") String skipToken) {
        return delta.serve(ObjectKind.USER, GraphPermissions.READ_USERS, headers, uri, select, deltaToken, skipToken);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id, @QueryParam("$select") String select, @Context HttpHeaders headers,
                        @Context UriInfo uri) {
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                GraphPermissions.READ_USERS);
        SelectClause clause = SelectClause.parse(ObjectKind.USER, select);
        Tenant tenant = caller.tenant();
        byte[] body = tenant.withReadLock(() -> {
            DirectoryObject user = tenant.findActive(id, ObjectKind.USER).orElseThrow(() -> GraphError.notFound(id));
            return ObjectResponses.entity(uri.getBaseUri().toString(), user, clause.mask());
        });
        return Response.ok(body, GraphMediaType.JSON).build();
    }

    @PATCH
    @Path("{id}")
    public Response patch(@PathParam("id") String id, String body, @Context HttpHeaders headers, RoutingContext ctx) {
        RequestLog.attachBody(ctx, body);
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                GraphPermissions.WRITE_USERS);
        Tenant tenant = caller.tenant();
        if (tenant.withReadLock(() -> tenant.findActive(id, ObjectKind.USER).isEmpty())) {
            throw GraphError.notFound(id);
        }
        Map<String, Object> changes = UserPatchValidator.validate(tenant, parseObject(body));
        String userId = tenant.withReadLock(() -> tenant.findActive(id, ObjectKind.USER).orElseThrow().id());
        tenant.update(userId, changes);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/memberOf")
    public Response memberOf(@PathParam("id") String id, @QueryParam("$select") String select,
                             @QueryParam("$skiptoken") String skipToken, @Context HttpHeaders headers, @Context UriInfo uri) {
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), MEMBERSHIP_READ);
        Tenant tenant = caller.tenant();
        CollectionPaging paging = CollectionPaging.of(skipToken,
                PreferHeader.parse(headers.getRequestHeader("Prefer")).maxPageSize());
        String base = uri.getBaseUri().toString();
        byte[] body = tenant.withReadLock(() -> {
            DirectoryObject user = tenant.findActive(id, ObjectKind.USER).orElseThrow(() -> GraphError.notFound(id));
            List<DirectoryObject> containers = tenant.directContainers(user, true);
            String next = paging.nextToken(containers.size());
            return ObjectResponses.collection(base, "directoryObjects", paging.slice(containers),
                    CollectionPaging.select(select, List.of("displayName", "securityEnabled", "roleTemplateId")),
                    next == null ? null : base + "v1.0/users/" + user.id() + "/memberOf?$skiptoken=" + next);
        });
        return Response.ok(body, GraphMediaType.JSON).build();
    }

    @POST
    @Path("{id}/getMemberGroups")
    public Response getMemberGroups(@PathParam("id") String id, String body, @Context HttpHeaders headers,
                                    @Context UriInfo uri, RoutingContext ctx) {
        return memberIds(id, body, headers, uri, ctx, false);
    }

    @POST
    @Path("{id}/getMemberObjects")
    public Response getMemberObjects(@PathParam("id") String id, String body, @Context HttpHeaders headers,
                                     @Context UriInfo uri, RoutingContext ctx) {
        return memberIds(id, body, headers, uri, ctx, true);
    }

    private Response memberIds(String id, String body, HttpHeaders headers, UriInfo uri, RoutingContext ctx,
                               boolean includeRoles) {
        RequestLog.attachBody(ctx, body);
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), MEMBERSHIP_READ);
        Map<String, Object> request = parseObject(body);
        Object securityOnly = request.get("securityEnabledOnly");
        if (!(securityOnly instanceof Boolean)) {
            throw GraphError.badRequest("The parameter 'securityEnabledOnly' in the request payload is not a valid boolean.");
        }
        Tenant tenant = caller.tenant();
        String base = uri.getBaseUri().toString();
        byte[] response = tenant.withReadLock(() -> {
            DirectoryObject user = tenant.findActive(id, ObjectKind.USER).orElseThrow(() -> GraphError.notFound(id));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (var g = DirectoryObjectJson.JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("@odata.context", base + "v1.0/$metadata#Collection(Edm.String)");
                g.writeArrayFieldStart("value");
                for (DirectoryObject group : tenant.transitiveGroups(user)) {
                    if (!(Boolean) securityOnly || Boolean.TRUE.equals(group.value("securityEnabled"))) {
                        g.writeString(group.id());
                    }
                }
                if (includeRoles) {
                    for (DirectoryObject container : tenant.directContainers(user, true)) {
                        if (container.kind() == ObjectKind.DIRECTORY_ROLE) {
                            g.writeString(container.id());
                        }
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        });
        return Response.ok(response, GraphMediaType.JSON).build();
    }

    private Map<String, Object> parseObject(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw unreadable();
            }
            return json.convertValue(node, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw unreadable();
        }
    }

    private static GraphError unreadable() {
        return GraphError.badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set "
                + "and payload is of valid JSON format.");
    }
}
