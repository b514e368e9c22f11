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

/** A dry run's plan (delta-processor): adds, updates old → new, deletes; filterable; the xlsx passed through. */
@Path("/tenants/{tenant}/dry-runs/{runId}")
@Produces(MediaType.TEXT_HTML)
public class DryRunResource {

    private final Pages pages;
    private final ApiClient api;
    private final Template dryrun;

    DryRunResource(Pages pages, ApiClient api, @Location("dryrun") Template dryrun) {
        this.pages = pages;
        this.api = api;
        this.dryrun = dryrun;
    }

    @GET
    public TemplateInstance page(@PathParam("tenant") String tenant, @PathParam("runId") String runId,
            @QueryParam("action") String action, @QueryParam("kind") String kind) {
        return data(pages.page(dryrun, tenant), tenant, runId, action, kind);
    }

    @GET
    @Path("live")
    public TemplateInstance live(@PathParam("tenant") String tenant, @PathParam("runId") String runId,
            @QueryParam("action") String action, @QueryParam("kind") String kind) {
        return data(pages.page(dryrun.getFragment("plan"), tenant), tenant, runId, action, kind);
    }

    @GET
    @Path("export.xlsx")
    @Produces(MediaType.WILDCARD)
    public Response export(@PathParam("tenant") String tenant, @PathParam("runId") String runId) throws IOException {
        return Downloads.pass(api.stream(Service.PROCESSOR, "/api/tenants/" + tenant + "/dry-runs/" + Pages.enc(runId)
                + "/export.xlsx", "*/*"), pages);
    }

    private TemplateInstance data(TemplateInstance page, String tenant, String runId, String action, String kind) {
        String query = "?size=500" + (blank(action) ? "" : "&action=" + Pages.enc(action))
                + (blank(kind) ? "" : "&kind=" + Pages.enc(kind));
        ApiResult plan = api.get(Service.PROCESSOR, "/api/tenants/" + tenant + "/dry-runs/" + Pages.enc(runId) + query);
        // Until the processor has read the run's first event it does not know the run: show it as waiting.
        boolean waiting = plan.status() == 404;
        if (!waiting) {
            PageException.require(plan);
        }
        String state = waiting ? "waiting" : plan.body().path("state").asText();
        return page.data("runId", runId).data("plan", waiting ? null : pages.map(plan.body()))
                .data("state", state).data("done", state.equals("complete") || state.equals("failed"))
                .data("action", blank(action) ? "" : action).data("kind", blank(kind) ? "" : kind)
                .data("query", query.substring("?size=500".length()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
