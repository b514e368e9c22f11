package dev.idsync.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** A tiny API that exercises what every idsync API shares. */
@Path("/api/probe")
public class ProbeResource {

    public record Thing(@NotBlank String name, @Min(1) int count) {
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
}
