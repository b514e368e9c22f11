package dev.idsync.emulator.graph;

import dev.idsync.emulator.authority.GraphPermissions;
import dev.idsync.emulator.directory.ObjectKind;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Graph v1.0 {@code /directoryRoles/delta} (activated roles with members@delta). */
@Path("/v1.0/directoryRoles")
public class DirectoryRolesResource {

    private final DeltaEndpoint delta;

    public DirectoryRolesResource(DeltaEndpoint delta) {
        this.delta = delta;
    }

    /** Also under the names the SDKs use: {@code delta()} and {@code microsoft.graph.delta()}. */
    @GET
    @Path("{function: delta|delta\\(\\)|microsoft\\.graph\\.delta\\(\\)}")
    public Response delta(@Context HttpHeaders headers, @Context UriInfo uri, @QueryParam("$select") String select,
                          @QueryParam("$deltatoken") String deltaToken, @QueryParam("$skiptoken") String skipToken) {
        return delta.serve(ObjectKind.DIRECTORY_ROLE, GraphPermissions.READ_ROLES, headers, uri, select, deltaToken,
                skipToken);
    }
}
