package dev.idsync.api;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny API that exercises what every idsync API shares. */
@Path("/api/probe")
public class ProbeResource {

    /** What the write endpoints accepted: a refused request must add nothing. */
    static final List<Object> WRITTEN = new CopyOnWriteArrayList<>();

    public record Thing(@NotBlank String name, @Min(1) int count, List<String> tags) {
    }

    @GET
    @Path("/admin")
    @RolesAllowed(Roles.ADMIN)
    public String admin() {
        return "ok";
    }

    @POST
    @Path("/things")
    @RolesAllowed(Roles.WRITER)
    public Response create(@Valid Thing thing) {
        WRITTEN.add(thing);
        return Response.status(201).entity(thing).build();
    }

    @GET
    @Path("/things/{id}")
    @RolesAllowed(Roles.READER)
    public Thing find(@PathParam("id") String id) {
        throw ProblemException.notFound("no thing '" + id + "'");
    }

    @GET
    @Path("/forgotten")
    public String forgotten() {
        return "must never be reachable: no role annotation";
    }

    @POST
    @Path("/tenants/{tenant}/things")
    @RolesAllowed(Roles.WRITER)
    public Response createIn(@PathParam("tenant") String tenant, @Valid Thing thing) {
        WRITTEN.add(tenant + ":" + thing.name());
        return Response.status(201).entity(thing).build();
    }

    @GET
    @Path("/runs/{tenantId}")
    @RolesAllowed(Roles.READER)
    public String runs(@PathParam("tenantId") String tenantId) {
        return tenantId;
    }

    @GET
    @Path("/query")
    @RolesAllowed(Roles.READER)
    public String query(@QueryParam("tenant") String tenant,
            @QueryParam("size") @DefaultValue("10") @Min(1) @Max(100) int size) {
        return tenant + ":" + size;
    }

    @POST
    @Path("/tenants/{tenant}/open")
    @PermitAll
    public String open(@PathParam("tenant") String tenant) {
        return tenant;
    }
}
