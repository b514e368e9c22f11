package dev.idsync.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Users: search (delta-processor), and per user its directory state and groups, its roles (role-mapper:
 * federated vs manual, with grant/revoke), its profile with the pessimistic edit form (profile-writer) and its
 * history (audit-log). A failed update shows profile-writer's problem as it is and the form as entered.
 */
@Path("/tenants/{tenant}/users")
@Produces(MediaType.TEXT_HTML)
public class UsersResource {

    private final Pages pages;
    private final ApiClient api;
    private final Template users;
    private final Template user;

    UsersResource(Pages pages, ApiClient api, @Location("users") Template users, @Location("user") Template user) {
        this.pages = pages;
        this.api = api;
        this.users = users;
        this.user = user;
    }

    @GET
    public TemplateInstance list(@PathParam("tenant") String tenant, @QueryParam("search") String search,
            @QueryParam("state") String state, @QueryParam("stale") boolean stale) {
        String query = "?size=100" + (blank(search) ? "" : "&search=" + Pages.enc(search))
                + (blank(state) ? "" : "&state=" + Pages.enc(state)) + (stale ? "&stale=true" : "");
        ApiResult found = api.get(Service.PROCESSOR, "/api/tenants/" + tenant + "/users" + query);
        return pages.page(users, tenant).data("result", pages.map(PageException.require(found)))
                .data("states", java.util.List.of("active", "pendingDeletion", "pendingHardDeletion", "removed"))
                .data("search", blank(search) ? "" : search).data("state", blank(state) ? "" : state).data("stale", stale)
                .data("exportQuery", query.substring("?size=100".length()));
    }

    @GET
    @Path("export.xlsx")
    @Produces(MediaType.WILDCARD)
    public Response export(@PathParam("tenant") String tenant, @QueryParam("search") String search,
            @QueryParam("state") String state, @QueryParam("stale") boolean stale) throws IOException {
        String query = "?stale=" + stale + (blank(search) ? "" : "&search=" + Pages.enc(search))
                + (blank(state) ? "" : "&state=" + Pages.enc(state));
        return Downloads.pass(api.stream(Service.PROCESSOR, "/api/tenants/" + tenant + "/users/export.xlsx" + query, "*/*"),
                pages);
    }

    @GET
    @Path("{id}")
    public TemplateInstance detail(@PathParam("tenant") String tenant, @PathParam("id") String id,
            @QueryParam("saved") String saved) {
        return render(tenant, id, null, null).data("saved", saved);
    }

    /** Single-user import: a user Entra has and idsync has not read yet (profile-writer publishes the observation). */
    @POST
    @Path("import")
    public Response importUser(@PathParam("tenant") String tenant, @RestForm String userId) {
        ApiResult result = api.post(Service.WRITER, "/api/tenants/" + tenant + "/users/" + Pages.enc(userId) + "/import", null);
        if (!result.ok()) {
            return pages.errorPage(result);
        }
        return Pages.seeOther("/tenants/" + tenant + "/users/" + Pages.enc(userId) + "?saved=imported");
    }

    /** The pessimistic update: nothing is saved unless Entra took it (profile-writer's rule); on failure the problem is shown. */
    @POST
    @Path("{id}/profile")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response updateProfile(@PathParam("tenant") String tenant, @PathParam("id") String id,
            MultivaluedMap<String, String> form) {
        ProfileForm entered = ProfileForm.submitted(form);
        Map<String, Object> patch = entered.patch();
        if (patch.isEmpty()) {
            return Pages.seeOther("/tenants/" + tenant + "/users/" + Pages.enc(id) + "?saved=unchanged");
        }
        Map<String, String> headers = entered.etag() == null || entered.etag().isBlank() ? Map.of()
                : Map.of("If-Match", entered.etag());
        ApiResult result = api.send(Service.WRITER, "PATCH", "/api/tenants/" + tenant + "/users/" + Pages.enc(id)
                + "/profile", patch, headers);
        if (result.ok()) {
            return Pages.seeOther("/tenants/" + tenant + "/users/" + Pages.enc(id) + "?saved=profile");
        }
        return Pages.html(result.status(), render(tenant, id, entered, result));
    }

    @POST
    @Path("{id}/roles")
    public Response grant(@PathParam("tenant") String tenant, @PathParam("id") String id, @RestForm String role,
            @RestForm String accessLevel) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("accessLevel", blank(accessLevel) ? null : accessLevel.trim());
        ApiResult result = api.put(Service.ROLE_MAPPER, "/api/tenants/" + tenant + "/users/" + Pages.enc(id) + "/roles/"
                + Pages.enc(role == null ? "" : role.trim()), body);
        if (!result.ok()) {
            return pages.errorPage(result);
        }
        return Pages.seeOther("/tenants/" + tenant + "/users/" + Pages.enc(id) + "?saved=role");
    }

    @POST
    @Path("{id}/roles/revoke")
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("id") String id, @RestForm String role) {
        ApiResult result = api.delete(Service.ROLE_MAPPER, "/api/tenants/" + tenant + "/users/" + Pages.enc(id)
                + "/roles/" + Pages.enc(role == null ? "" : role));
        if (!result.ok()) {
            return pages.errorPage(result);
        }
        return Pages.seeOther("/tenants/" + tenant + "/users/" + Pages.enc(id) + "?saved=revoked");
    }

    private TemplateInstance render(String tenant, String id, ProfileForm entered, ApiResult failure) {
        String base = "/api/tenants/" + tenant + "/users/" + Pages.enc(id);
        ApiResult directory = api.get(Service.PROCESSOR, base);
        ApiResult roles = api.get(Service.ROLE_MAPPER, base + "/roles");
        History history = history(tenant, id);
        ProfileForm form = entered;
        ApiResult profile = null;
        if (form == null) {
            profile = api.get(Service.WRITER, base + "/profile");
            form = profile.ok() ? ProfileForm.of(profile.body(), null) : null;
        }
        return pages.page(user, tenant).data("id", id)
                .data("directory", directory.ok() ? pages.map(directory.body()) : null).data("directoryProblem", problem(directory))
                .data("roles", roles.ok() ? pages.map(roles.body()) : null).data("rolesProblem", problem(roles))
                .data("history", history.entries()).data("historyCut", history.cut())
                .data("historyProblem", history.problem())
                .data("form", form).data("profileProblem", profile == null ? null : problem(profile))
                .data("failure", failure).data("entraFields", ProfileForm.ENTRA).data("localFields", ProfileForm.LOCAL);
    }

    /** The user's history: newest first, at most {@link #HISTORY_SHOWN}; {@code cut} when older events are not shown. */
    record History(List<HistoryEntry> entries, boolean cut, String problem) {
    }

    static final int HISTORY_SHOWN = 100;
    private static final int HISTORY_PAGES = 5;

    /**
     * Every audit event of the user (in the audit's order, pages of 1000 up to 5000 events), so each upsert
     * can be compared with what came before it; the newest are shown.
     */
    private History history(String tenant, String id) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        boolean more = false;
        for (int page = 0; page < HISTORY_PAGES; page++) {
            ApiResult result = api.get(Service.AUDIT, "/api/audit/events?tenant=" + Pages.enc(tenant) + "&objectId="
                    + Pages.enc(id) + "&limit=1000" + (cursor == null ? "" : "&cursor=" + Pages.enc(cursor)));
            if (!result.ok()) {
                return new History(List.of(), false, problem(result));
            }
            result.body().path("items").forEach(items::add);
            cursor = result.body().path("next").isTextual() ? result.body().path("next").asText() : null;
            more = cursor != null;
            if (!more) {
                break;
            }
        }
        List<HistoryEntry> entries = HistoryEntry.of(items);
        return new History(entries.subList(0, Math.min(HISTORY_SHOWN, entries.size())),
                more || entries.size() > HISTORY_SHOWN, null);
    }

    private static String problem(ApiResult result) {
        return result.ok() ? null : result.status() + " " + result.title() + (result.detail().isEmpty() ? "" : ": " + result.detail());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
