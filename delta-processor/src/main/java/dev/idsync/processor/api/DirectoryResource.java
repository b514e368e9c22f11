package dev.idsync.processor.api;

import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.processor.rules.TenantRuleBook;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The read API of the directory store (role {@code idsync.reader}). */
@Path("/api/tenants/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.READER, Roles.ADMIN})
@Tag(name = "Directory", description = "The directory store as idsync decided it: users, groups, members, sync status.")
public class DirectoryResource {

    private static final String STATES = "active|pendingDeletion|pendingHardDeletion|removed";

    private final DirectoryQueries queries;
    private final TenantRuleBook rules;
    private final UserWorkbook workbook;

    DirectoryResource(DirectoryQueries queries, TenantRuleBook rules, UserWorkbook workbook) {
        this.queries = queries;
        this.rules = rules;
        this.workbook = workbook;
    }

    /** Users: search (id, name, UPN, mail), filter by state, department, org unit, staleness; paged. */
    @GET
    @Path("/users")
    @Operation(summary = "Search users", description = "Search (id, name, UPN, mail) and filter by state, department, "
            + "org unit and staleness; paged. Items: id, kind, state, removalReason, placeholder, lastConfirmedAt, stale, "
            + "runId, epoch, attributes (local attribute names).")
    @APIResponse(responseCode = "200", description = "A page: items, page, size, total.")
    public Page<Map<String, Object>> users(@PathParam("tenant") String tenant,
            @QueryParam("search") String search,
            @QueryParam("state") @Pattern(regexp = STATES, message = "one of " + STATES) String state,
            @QueryParam("department") String department,
            @QueryParam("orgUnit") String orgUnit,
            @QueryParam("stale") @DefaultValue("false") boolean stale,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return queries.users(tenant, filter(tenant, search, state, department, orgUnit, stale), page, size);
    }

    /** All users of the listing filter as a real .xlsx, streamed row by row. */
    @GET
    @Path("/users/export.xlsx")
    @Produces(UserWorkbook.MEDIA_TYPE)
    @Operation(summary = "Export users as .xlsx", description = "Every user of the listing's filter as a real "
            + "workbook, streamed row by row.")
    @APIResponse(responseCode = "200", description = "The workbook (attachment).")
    public Response export(@PathParam("tenant") String tenant,
            @QueryParam("search") String search,
            @QueryParam("state") @Pattern(regexp = STATES, message = "one of " + STATES) String state,
            @QueryParam("department") String department,
            @QueryParam("orgUnit") String orgUnit,
            @QueryParam("stale") @DefaultValue("false") boolean stale) {
        DirectoryQueries.UserFilter filter = filter(tenant, search, state, department, orgUnit, stale);
        StreamingOutput body = out -> workbook.write(tenant, filter, out);
        return Response.ok(body, UserWorkbook.MEDIA_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + tenant + "-users.xlsx\"")
                .build();
    }

    /** A user with the groups and directory roles it is a member of. */
    @GET
    @Path("/users/{id}")
    @Operation(summary = "Read a user", description = "The stored user (as in the listing) with `memberOf`: the "
            + "groups and directory roles it is a member of.")
    @APIResponse(responseCode = "200", description = "The user.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant has no such user.")
    public Map<String, Object> user(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        Map<String, Object> user = queries.object(tenant, id, "user");
        if (user == null) {
            throw ProblemException.notFound("no user " + id + " in tenant " + tenant);
        }
        Map<String, Object> withGroups = new LinkedHashMap<>(user);
        withGroups.put("memberOf", queries.containersOf(tenant, id));
        return withGroups;
    }

    @GET
    @Path("/groups")
    @Operation(summary = "Search groups", description = "Search by id or name; paged.")
    @APIResponse(responseCode = "200", description = "A page: items, page, size, total.")
    public Page<Map<String, Object>> groups(@PathParam("tenant") String tenant, @QueryParam("search") String search,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(1000) int size) {
        return queries.groups(tenant, search, page, size);
    }

    @GET
    @Path("/groups/{id}")
    @Operation(summary = "Read a group")
    @APIResponse(responseCode = "200", description = "The group.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant has no such group.")
    public Map<String, Object> group(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        Map<String, Object> group = queries.object(tenant, id, "group");
        if (group == null) {
            throw ProblemException.notFound("no group " + id + " in tenant " + tenant);
        }
        return group;
    }

    @GET
    @Path("/groups/{id}/members")
    @Operation(summary = "List a group's members", description = "Items: id, type, displayName; paged.")
    @APIResponse(responseCode = "200", description = "A page: items, page, size, total.")
    @APIResponse(responseCode = "404", description = "Not Found: the tenant has no such group.")
    public Page<Map<String, Object>> members(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        if (queries.object(tenant, id, "group") == null) {
            throw ProblemException.notFound("no group " + id + " in tenant " + tenant);
        }
        return queries.members(tenant, id, page, size);
    }

    @GET
    @Path("/sync-status")
    @Operation(summary = "The tenant's sync status", description = "Last run per resource, lastSuccessfulSync, "
            + "lastFullSync, user counts (active, stale, placeholders, pending deletion), heldDeletions, staleAfter.")
    @APIResponse(responseCode = "200", description = "The status.")
    public Map<String, Object> syncStatus(@PathParam("tenant") String tenant) {
        return queries.syncStatus(tenant);
    }

    private DirectoryQueries.UserFilter filter(String tenant, String search, String state, String department,
            String orgUnit, boolean stale) {
        return new DirectoryQueries.UserFilter(blankToNull(search), state, blankToNull(department),
                blankToNull(orgUnit), stale, rules.of(tenant).localName("department"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
