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
import org.jboss.resteasy.reactive.RestForm;

/** Held deletions (delta-processor's gate) with approve / reject, and who decided what from the audit. */
@Path("/tenants/{tenant}/deletions")
@Produces(MediaType.TEXT_HTML)
public class DeletionsResource {

    private final Pages pages;
    private final ApiClient api;
    private final Template deletions;

    DeletionsResource(Pages pages, ApiClient api, @Location("deletions") Template deletions) {
        this.pages = pages;
        this.api = api;
        this.deletions = deletions;
    }

    @GET
    public TemplateInstance page(@PathParam("tenant") String tenant, @QueryParam("done") String done,
            @QueryParam("n") Long n) {
        return data(pages.page(deletions, tenant), tenant).data("done", "approve".equals(done) || "reject".equals(done)
                ? done : null).data("n", n);
    }

    @GET
    @Path("live")
    public TemplateInstance live(@PathParam("tenant") String tenant) {
        return data(pages.page(deletions.getFragment("live"), tenant), tenant);
    }

    @POST
    @Path("approve")
    public Response approve(@PathParam("tenant") String tenant, @RestForm String runId) {
        return decide(tenant, "approve", runId);
    }

    @POST
    @Path("reject")
    public Response reject(@PathParam("tenant") String tenant, @RestForm String runId) {
        return decide(tenant, "reject", runId);
    }

    /** The API checks the admin role and the tenant; a reader's (or forged) POST gets its 403 back as the page. */
    private Response decide(String tenant, String decision, String runId) {
        ApiResult result = api.post(Service.PROCESSOR, "/api/tenants/" + tenant + "/pending-deletions/" + decision
                + (runId == null || runId.isBlank() ? "" : "?runId=" + Pages.enc(runId)), null);
        if (!result.ok()) {
            return pages.errorPage(result);
        }
        long n = result.body().path("approve".equals(decision) ? "applied" : "rejected").asLong();
        return Pages.seeOther("/tenants/" + tenant + "/deletions?done=" + decision + "&n=" + n);
    }

    private TemplateInstance data(TemplateInstance page, String tenant) {
        ApiResult held = api.get(Service.PROCESSOR, "/api/tenants/" + tenant + "/pending-deletions?size=200");
        ApiResult decisions = api.get(Service.AUDIT, "/api/audit/events?tenant=" + Pages.enc(tenant)
                + "&type=" + Pages.enc("dev.idsync.deletions.decided.v1") + "&limit=20");
        return page.data("held", pages.map(PageException.require(held)))
                .data("decisions", decisions.ok() ? pages.list(decisions.body().path("items")) : java.util.List.of())
                .data("decisionsProblem", decisions.ok() ? null : decisions.title() + " " + decisions.detail());
    }
}
