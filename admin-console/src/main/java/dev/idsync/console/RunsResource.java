package dev.idsync.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/** Runs: the tenant's run history, the running run's progress, the run buttons and the 30-day chart. */
@Path("/tenants/{tenant}/runs")
@Produces(MediaType.TEXT_HTML)
public class RunsResource {

    private final Pages pages;
    private final ApiClient api;
    private final Template runs;

    RunsResource(Pages pages, ApiClient api, @Location("runs") Template runs) {
        this.pages = pages;
        this.api = api;
        this.runs = runs;
    }

    @GET
    public TemplateInstance page(@PathParam("tenant") String tenant) {
        return data(pages.page(runs, tenant), tenant);
    }

    @GET
    @Path("live")
    public TemplateInstance live(@PathParam("tenant") String tenant) {
        return data(pages.page(runs.getFragment("live"), tenant), tenant);
    }

    /** The buttons: delta, full or dry run (with an optional user limit); graph-poller decides and checks the role. */
    @POST
    public Response start(@PathParam("tenant") String tenant, @RestForm String mode, @RestForm String limitUsers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", mode);
        if (limitUsers != null && !limitUsers.isBlank()) {
            try {
                body.put("limitUsers", Integer.parseInt(limitUsers.trim()));
            } catch (NumberFormatException e) {
                body.put("limitUsers", -1); // the poller names the field in its 400
            }
        }
        ApiResult started = api.post(Service.POLLER, "/api/tenants/" + tenant + "/sync-runs", body);
        if (!started.ok()) {
            return pages.errorPage(started);
        }
        String runId = started.body().path("runId").asText();
        return Pages.seeOther("dryRun".equals(mode) ? "/tenants/" + tenant + "/dry-runs/" + Pages.enc(runId)
                : "/tenants/" + tenant + "/runs?started=" + Pages.enc(runId));
    }

    private TemplateInstance data(TemplateInstance page, String tenant) {
        ApiResult result = api.get(Service.POLLER, "/api/tenants/" + tenant + "/sync-runs?limit=500");
        List<RunView> list = new ArrayList<>();
        PageException.require(result).forEach(r -> list.add(RunView.of(r)));
        RunView running = list.stream().filter(RunView::running).findFirst().orElse(null);
        // What a full read of this tenant came to last time: the basis of the ETA (null: no ETA).
        Long expected = list.stream().filter(r -> "completed".equals(r.state()) && "full".equals(r.mode())
                && r.limitUsers() == null).findFirst().map(RunView::objects).orElse(null);
        Instant now = Instant.now();
        return page.data("runs", list).data("running", running).data("expected", expected)
                .data("eta", running == null ? null : running.etaText(expected))
                .data("chart", RunChart.svg(list, now)).data("now", Formats.time(now));
    }
}
