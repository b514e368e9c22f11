package dev.idsync.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Audit: the tenant's trail filtered by type, subject, actor and time; the stream export; the chain verification. */
@Path("/tenants/{tenant}/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditResource {

    private final Pages pages;
    private final ApiClient api;
    private final Template audit;

    AuditResource(Pages pages, ApiClient api, @Location("audit") Template audit) {
        this.pages = pages;
        this.api = api;
        this.audit = audit;
    }

    @GET
    public Response page(@PathParam("tenant") String tenant, @QueryParam("type") String type,
            @QueryParam("objectId") String objectId, @QueryParam("actor") String actor, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("cursor") String cursor) {
        Map<String, String> filter = filter(tenant, type, objectId, actor, from, to);
        ApiResult events = api.get(Service.AUDIT, "/api/audit/events?" + query(filter) + "&limit=100"
                + (blank(cursor) ? "" : "&cursor=" + Pages.enc(cursor)));
        TemplateInstance page = pages.page(audit, tenant).data("filter", filter)
                .data("fields", java.util.List.of("type", "objectId", "actor", "from", "to"))
                .data("events", events.ok() ? pages.list(events.body().path("items")) : java.util.List.of())
                .data("next", events.ok() ? events.body().path("next").asText(null) : null)
                .data("failure", events.ok() ? null : events)
                .data("exportQuery", query(filter));
        // A bad filter (e.g. a malformed time) is audit-log's 400, shown next to the field it names.
        return Pages.html(events.ok() ? 200 : events.status(), page);
    }

    /** The chain verification, loaded by the page after it has rendered (it reads the tenant's whole chain). */
    @GET
    @Path("verify")
    public TemplateInstance verify(@PathParam("tenant") String tenant) {
        ApiResult result = api.get(Service.AUDIT, "/api/audit/verify?tenant=" + Pages.enc(tenant));
        return pages.page(audit.getFragment("verify"), tenant).data("verify", result.ok() ? pages.map(result.body()) : null)
                .data("verifyProblem", result.ok() ? null : result.status() + " " + result.title() + ": " + result.detail());
    }

    @GET
    @Path("export")
    @Produces(MediaType.WILDCARD)
    public Response export(@PathParam("tenant") String tenant, @QueryParam("type") String type,
            @QueryParam("objectId") String objectId, @QueryParam("actor") String actor, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) throws IOException {
        String query = query(filter(tenant, type, objectId, actor, from, to)) + "&format=" + Pages.enc("csv".equals(format) ? "csv" : "ndjson");
        return Downloads.pass(api.stream(Service.AUDIT, "/api/audit/export?" + query, "*/*"), pages);
    }

    private static Map<String, String> filter(String tenant, String type, String objectId, String actor, String from,
            String to) {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("tenant", tenant);
        filter.put("type", blank(type) ? "" : type.trim());
        filter.put("objectId", blank(objectId) ? "" : objectId.trim());
        filter.put("actor", blank(actor) ? "" : actor.trim());
        filter.put("from", blank(from) ? "" : from.trim());
        filter.put("to", blank(to) ? "" : to.trim());
        return filter;
    }

    private static String query(Map<String, String> filter) {
        return filter.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + Pages.enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
