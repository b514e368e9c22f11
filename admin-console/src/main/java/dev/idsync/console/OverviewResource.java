package dev.idsync.console;

import io.quarkus.qute.TemplateData;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Overview: every tenant the admin may see, its sync state and user counts, and each service's health. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class OverviewResource {

    /** One tenant's row. {@code status} is delta-processor's sync-status; {@code problem} why a part is missing. */
    @TemplateData
    public record TenantRow(Tenants.TenantView tenant, Map<String, Object> status, RunView lastRun, RunView running,
                            String nextRun, String nextFullSync, String problem) {
    }

    /**
     * One service: its readiness as its health endpoint says it, and its consumer lag as its public
     * {@code /q/metrics} says it ({@code lag} null with {@code lagProblem} when they could not be read).
     */
    @TemplateData
    public record ServiceHealth(String name, boolean up, String detail, ConsumerLag lag, String lagProblem) {
    }

    private final Pages pages;
    private final ApiClient api;
    private final Tenants tenants;
    private final Template overview;

    OverviewResource(Pages pages, ApiClient api, Tenants tenants, @Location("overview") Template overview) {
        this.pages = pages;
        this.api = api;
        this.tenants = tenants;
        this.overview = overview;
    }

    @GET
    public TemplateInstance page() {
        return data(pages.page(overview));
    }

    /** The live part, polled by the page (htmx) every few seconds. */
    @GET
    @Path("overview/live")
    public TemplateInstance live() {
        return data(pages.page(overview.getFragment("live")));
    }

    private TemplateInstance data(TemplateInstance page) {
        List<TenantRow> rows = new ArrayList<>();
        for (Tenants.TenantView tenant : tenants.visibleTo(pages.viewer())) {
            rows.add(row(tenant));
        }
        List<ServiceHealth> health = new ArrayList<>();
        for (Service service : Service.values()) {
            ApiResult ready = api.get(service, "/q/health/ready");
            ConsumerLag lag = null;
            String lagProblem = null;
            try {
                lag = ConsumerLag.parse(api.publicText(service, "/q/metrics"));
            } catch (IOException e) {
                lagProblem = "metrics unreadable: " + e.getMessage();
            }
            health.add(new ServiceHealth(service.displayName(), ready.ok() && "UP".equals(ready.body().path("status").asText()),
                    ready.ok() ? "ready" : ready.status() == 503 && ready.body().has("checks") ? "not ready: "
                            + downChecks(ready.body()) : ready.title(), lag, lagProblem));
        }
        return page.data("rows", rows).data("health", health).data("now", Formats.time(Instant.now()));
    }

    private TenantRow row(Tenants.TenantView tenant) {
        ApiResult status = api.get(Service.PROCESSOR, "/api/tenants/" + tenant.id() + "/sync-status");
        ApiResult runs = api.get(Service.POLLER, "/api/tenants/" + tenant.id() + "/sync-runs?limit=50");
        List<RunView> list = new ArrayList<>();
        if (runs.ok()) {
            runs.body().forEach(r -> list.add(RunView.of(r)));
        }
        RunView running = list.stream().filter(RunView::running).findFirst().orElse(null);
        RunView last = list.stream().filter(r -> !r.running()).findFirst().orElse(null);
        ScheduleView next = nextRuns(tenant);
        String problem = !status.ok() ? "delta-processor: " + status.title() + " " + status.detail()
                : !runs.ok() ? "graph-poller: " + runs.title() + " " + runs.detail() : null;
        return new TenantRow(tenant, status.ok() ? pages.map(status.body()) : null, last, running,
                next.delta(), next.fullSync(), problem);
    }

    /** The next scheduled delta run and full sync, exact, as graph-poller's scheduler and durable schedule have them. */
    private ScheduleView nextRuns(Tenants.TenantView tenant) {
        ApiResult schedule = api.get(Service.POLLER, "/api/tenants/" + tenant.id() + "/schedule");
        if (!schedule.ok()) {
            String why = "unknown (graph-poller: " + schedule.title() + ")";
            return new ScheduleView(why, why);
        }
        return ScheduleView.of(schedule.body());
    }

    private static String downChecks(JsonNode health) {
        List<String> down = new ArrayList<>();
        health.path("checks").forEach(c -> {
            if (!"UP".equals(c.path("status").asText())) {
                down.add(c.path("name").asText());
            }
        });
        return String.join(", ", down);
    }
}
