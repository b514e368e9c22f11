package dev.idsync.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Role mappings (role-mapper, admin only), edited as a form and never saved blind: <em>Simulate</em> asks
 * role-mapper what the edited mappings would change (who gains or loses which role, through which group
 * path); <em>Save</em> then sends them with {@code If-Match: "<simulationId>"}, so role-mapper stores them only
 * if they still do exactly what was shown, else answers 412 and the page says to simulate again. Every 422
 * names its field and is shown next to it, with the form as entered. Below the form: who changed the mappings
 * when, and what that did.
 */
@Path("/tenants/{tenant}/role-mappings")
@Produces(MediaType.TEXT_HTML)
public class RoleMappingsResource {

    /** How many changes a simulation lists; the counts cover all of them. */
    static final int SIMULATION_PAGE = 100;
    static final int HISTORY_SIZE = 20;
    /** The form's fields an error can be shown next to; {@code body} is above the buttons. */
    static final List<String> FIELDS = List.of("pattern", "roles", "defaultRole", "nested", "groups", "directoryRoles", "body");

    private final Pages pages;
    private final ApiClient api;
    private final Template mappings;

    RoleMappingsResource(Pages pages, ApiClient api, @Location("mappings") Template mappings) {
        this.pages = pages;
        this.api = api;
        this.mappings = mappings;
    }

    @GET
    public Response page(@PathParam("tenant") String tenant, @QueryParam("saved") Integer saved,
            @QueryParam("gained") Integer gained, @QueryParam("lost") Integer lost) {
        ApiResult current = api.get(Service.ROLE_MAPPER, base(tenant));
        if (!current.ok()) {
            // A reader or writer may not read the mappings (admin only): say so instead of an empty form.
            return Pages.html(current.status(), pages.page(mappings, tenant).data("denied", current).data("form", null)
                    .data("simulation", null).data("history", null).data("historyProblem", null));
        }
        TemplateInstance page = view(tenant, MappingsForm.of(current.body()))
                .data("origin", current.body().path("origin").asText())
                .data("saved", saved).data("gained", gained).data("lost", lost);
        return Pages.html(200, page);
    }

    @POST
    @Path("/simulations")
    public Response simulate(@PathParam("tenant") String tenant, @RestForm String pattern, @RestForm String roles,
            @RestForm String defaultRole, @RestForm String groups, @RestForm String nested,
            @RestForm String directoryRoles) {
        MappingsForm form = new MappingsForm(pattern, roles, defaultRole, groups, nested, directoryRoles);
        MappingsForm.Request request = form.request();
        if (!request.errors().isEmpty()) {
            return invalid(tenant, form, 422, request.errors());
        }
        ApiResult result = api.post(Service.ROLE_MAPPER, base(tenant) + "/simulations?offset=0&limit=" + SIMULATION_PAGE,
                request.body());
        if (result.ok()) {
            return Pages.html(200, view(tenant, form).data("simulation", pages.plain(result.body())));
        }
        return refused(tenant, form, result);
    }

    @POST
    public Response save(@PathParam("tenant") String tenant, @RestForm String pattern, @RestForm String roles,
            @RestForm String defaultRole, @RestForm String groups, @RestForm String nested,
            @RestForm String directoryRoles, @RestForm String simulationId) {
        MappingsForm form = new MappingsForm(pattern, roles, defaultRole, groups, nested, directoryRoles);
        if (simulationId == null || simulationId.isBlank()) {
            // The console never saves what nobody has seen the effect of; the API's blind PUT stays for scripts.
            return invalid(tenant, form, 422, List.of(new ApiResult.FieldMessage("body",
                    "simulate the mappings first, then save the simulation")));
        }
        MappingsForm.Request request = form.request();
        if (!request.errors().isEmpty()) {
            return invalid(tenant, form, 422, request.errors());
        }
        ApiResult result = api.send(Service.ROLE_MAPPER, "PUT", base(tenant), request.body(),
                Map.of("If-Match", "\"" + simulationId.replace("\"", "") + "\""));
        if (result.ok()) {
            var body = result.body();
            return Pages.seeOther("/tenants/" + tenant + "/role-mappings?saved=" + body.path("changedAssignments").asInt()
                    + "&gained=" + body.path("gained").asInt() + "&lost=" + body.path("lost").asInt());
        }
        if (result.status() == 412) {
            // Someone or the directory changed things since the simulation: nothing was stored.
            return Pages.html(412, view(tenant, form).data("outdated", result));
        }
        return refused(tenant, form, result);
    }

    /** role-mapper said no: a 401/403 as the error page, anything else next to the fields it names. */
    private Response refused(String tenant, MappingsForm form, ApiResult result) {
        if (result.status() == 403 || result.status() == 401) {
            return pages.errorPage(result);
        }
        return invalid(tenant, form, result.status(), result.errors().isEmpty()
                ? List.of(new ApiResult.FieldMessage("body", result.title() + ": " + result.detail())) : result.errors());
    }

    /** The form as entered with each error next to its field ({@code groups.<id>…} next to the groups). */
    private Response invalid(String tenant, MappingsForm form, int status, List<ApiResult.FieldMessage> errors) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        // Every field present (empty = no error): strict Qute rendering refuses a missing map key.
        FIELDS.forEach(f -> byField.put(f, new ArrayList<>()));
        for (ApiResult.FieldMessage e : errors) {
            String field = fieldOf(e.field());
            byField.computeIfAbsent(field, k -> new ArrayList<>()).add((field.equals(e.field()) ? "" : e.field() + ": ")
                    + e.message());
        }
        return Pages.html(status, view(tenant, form).data("errors", byField).data("failure", status));
    }

    /** The form field a role-mapper error belongs to; what no field shows goes above the buttons. */
    static String fieldOf(String apiField) {
        for (String prefix : List.of("roles", "groups", "directoryRoles")) {
            if (apiField.equals(prefix) || apiField.startsWith(prefix + ".") || apiField.startsWith(prefix + "[")) {
                return prefix;
            }
        }
        return FIELDS.contains(apiField) ? apiField : "body";
    }

    /** The page with the form and the change history; every other value unset until a caller sets it. */
    private TemplateInstance view(String tenant, MappingsForm form) {
        ApiResult history = api.get(Service.ROLE_MAPPER, base(tenant) + "/changes?limit=" + HISTORY_SIZE);
        return pages.page(mappings, tenant).data("form", form).data("denied", null).data("origin", null)
                .data("saved", null).data("gained", null).data("lost", null).data("failure", null).data("errors", null)
                .data("simulation", null).data("outdated", null)
                .data("history", history.ok() ? pages.list(history.body().path("changes")) : null)
                .data("historyProblem", history.ok() ? null : history);
    }

    private static String base(String tenant) {
        return "/api/tenants/" + tenant + "/role-mappings";
    }
}
