package dev.idsync.emulator.graph;

import dev.idsync.emulator.authority.GraphAuthenticator;
import dev.idsync.emulator.authority.GraphCaller;
import dev.idsync.emulator.authority.GraphPermissions;
import dev.idsync.emulator.delta.SelectClause;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.SortedIntSet;
import dev.idsync.emulator.directory.Tenant;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;

/** Graph v1.0 {@code /groups}: delta (with members@delta), read and members. */
@Path("/v1.0/groups")
public class GroupsResource {

    private final DeltaEndpoint delta;
    private final GraphAuthenticator authenticator;

    public GroupsResource(DeltaEndpoint delta, GraphAuthenticator authenticator) {
        this.delta = delta;
        this.authenticator = authenticator;
    }

    /** Also under the names the SDKs use: {@code delta()} and {@code microsoft.graph.delta()}. */
    @GET
    @Path("{function: delta|delta\\(\\)|microsoft\\.graph\\.delta\\(\\)}")
    public Response delta(@Context HttpHeaders headers, @Context UriInfo uri, @QueryParam("$select") String select,
                          @QueryParam("$deltatoken") String deltaToken, @QueryParam("$skiptoken") String skipToken) {
        return delta.serve(ObjectKind.GROUP, GraphPermissions.READ_GROUPS, headers, uri, select, deltaToken, skipToken);
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id, @QueryParam("$select") String select, @Context HttpHeaders headers,
                        @Context UriInfo uri) {
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                GraphPermissions.READ_GROUPS);
        SelectClause clause = SelectClause.parse(ObjectKind.GROUP, select);
        Tenant tenant = caller.tenant();
        byte[] body = tenant.withReadLock(() -> ObjectResponses.entity(uri.getBaseUri().toString(),
                tenant.findActive(id, ObjectKind.GROUP).orElseThrow(() -> GraphError.notFound(id)), clause.mask()));
        return Response.ok(body, GraphMediaType.JSON).build();
    }

    @GET
    @Path("{id}/members")
    public Response members(@PathParam("id") String id, @QueryParam("$select") String select,
                            @QueryParam("$skiptoken") String skipToken, @Context HttpHeaders headers, @Context UriInfo uri) {
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                GraphPermissions.READ_GROUPS);
        CollectionPaging paging = CollectionPaging.of(skipToken,
                PreferHeader.parse(headers.getRequestHeader("Prefer")).maxPageSize());
        Tenant tenant = caller.tenant();
        String base = uri.getBaseUri().toString();
        byte[] body = tenant.withReadLock(() -> {
            DirectoryObject group = tenant.findActive(id, ObjectKind.GROUP).orElseThrow(() -> GraphError.notFound(id));
            SortedIntSet ordinals = group.members();
            List<DirectoryObject> page = new ArrayList<>(paging.pageSize());
            for (int i = paging.offset(); i < Math.min(ordinals.size(), paging.offset() + paging.pageSize()); i++) {
                page.add(tenant.byOrdinal(ordinals.get(i)));
            }
            String next = paging.nextToken(ordinals.size());
            return ObjectResponses.collection(base, "directoryObjects", page,
                    CollectionPaging.select(select, List.of("displayName", "userPrincipalName", "mail")),
                    next == null ? null : base + "v1.0/groups/" + group.id() + "/members?$skiptoken=" + next);
        });
        return Response.ok(body, GraphMediaType.JSON).build();
    }
}
