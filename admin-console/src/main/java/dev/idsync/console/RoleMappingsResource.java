package dev.idsync.console;

import io.quarkus.qute.TemplateData;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Role mappings (role-mapper, admin only): the {@code App-<Tenant>-<Role>} pattern, the roles, the default
 * role and explicit group → role/access mappings, edited as a form; role-mapper's 422 names each bad field,
 * shown next to it with the form as entered.
 */
@Path("/tenants/{tenant}/role-mappings")
@Produces(MediaType.TEXT_HTML)
public class RoleMappingsResource {

    /** The form's values: roles comma separated, groups one {@code <group id> = <role>[:<access>]} a line. */
    @TemplateData
    public record MappingsForm(String pattern, String roles, String defaultRole, String groups) {
    }

    private final Pages pages;
    private final ApiClient api;
    private final Template mappings;

    RoleMappingsResource(Pages pages, ApiClient api, @Location("mappings") Template mappings) {
        this.pages = pages;
        this.api = api;
        this.mappings = mappings;
    }

    @GET
    public Response page(@PathParam("tenant") String tenant, @QueryParam("saved") Integer saved) {
        ApiResult current = api.get(Service.ROLE_MAPPER, "/api/tenants/" + tenant + "/role-mappings");
        if (!current.ok()) {
            // A reader or writer may not read the mappings (admin only): say so instead of an empty form.
            return Pages.html(current.status(), pages.page(mappings, tenant).data("denied", current).data("form", null));
        }
        var body = current.body();
        StringBuilder groups = new StringBuilder();
        body.path("groups").properties().forEach(e -> groups.append(e.getKey()).append(" = ")
                .append(e.getValue().path("role").asText())
                .append(e.getValue().path("access").isTextual() ? ":" + e.getValue().path("access").asText() : "")
                .append('\n'));
        List<String> roles = new ArrayList<>();
        body.path("roles").forEach(r -> roles.add(r.asText()));
        MappingsForm form = new MappingsForm(body.path("pattern").asText(""), String.join(", ", roles),
                body.path("defaultRole").asText(""), groups.toString());
        return Pages.html(200, pages.page(mappings, tenant).data("form", form).data("origin", body.path("origin").asText())
                .data("saved", saved).data("failure", null).data("denied", null));
    }

    @POST
    public Response save(@PathParam("tenant") String tenant, @RestForm String pattern, @RestForm String roles,
            @RestForm String defaultRole, @RestForm String groups) {
        MappingsForm form = new MappingsForm(pattern, roles, defaultRole, groups);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pattern", blank(pattern) ? null : pattern.trim());
        body.put("roles", blank(roles) ? null : Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList());
        body.put("defaultRole", blank(defaultRole) ? null : defaultRole.trim());
        Map<String, Object> groupMap = new LinkedHashMap<>();
        List<ApiResult.FieldMessage> lineErrors = new ArrayList<>();
        String[] lines = groups == null ? new String[0] : groups.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                lineErrors.add(new ApiResult.FieldMessage("groups", "line " + (i + 1) + ": expected '<group id> = <role>[:<access>]'"));
                continue;
            }
            String[] roleAccess = line.substring(eq + 1).trim().split(":", 2);
            Map<String, Object> mapping = new LinkedHashMap<>();
            mapping.put("role", roleAccess[0].trim());
            mapping.put("access", roleAccess.length > 1 ? roleAccess[1].trim() : null);
            groupMap.put(line.substring(0, eq).trim(), mapping);
        }
        body.put("groups", groupMap);
        if (!lineErrors.isEmpty()) {
            return invalid(tenant, form, 422, lineErrors);
        }
        ApiResult result = api.put(Service.ROLE_MAPPER, "/api/tenants/" + tenant + "/role-mappings", body);
        if (result.ok()) {
            return Pages.seeOther("/tenants/" + tenant + "/role-mappings?saved=" + result.body().path("changedAssignments").asInt());
        }
        if (result.status() == 403 || result.status() == 401) {
            return pages.errorPage(result);
        }
        return invalid(tenant, form, result.status(), result.errors().isEmpty()
                ? List.of(new ApiResult.FieldMessage("body", result.title() + ": " + result.detail())) : result.errors());
    }

    /** The form as entered with each error next to its field ({@code groups.<id>…} next to the groups). */
    private Response invalid(String tenant, MappingsForm form, int status, List<ApiResult.FieldMessage> errors) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        for (ApiResult.FieldMessage e : errors) {
            String field = e.field().startsWith("roles") ? "roles" : e.field().startsWith("groups") ? "groups"
                    : List.of("pattern", "defaultRole").contains(e.field()) ? e.field() : "body";
            byField.computeIfAbsent(field, k -> new ArrayList<>()).add((field.equals(e.field()) ? "" : e.field() + ": ")
                    + e.message());
        }
        TemplateInstance page = pages.page(mappings, tenant).data("form", form).data("errors", byField)
                .data("failure", status).data("denied", null).data("saved", null).data("origin", null);
        return Pages.html(status, page);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
