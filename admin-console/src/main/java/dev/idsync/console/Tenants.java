package dev.idsync.console;

import io.quarkus.qute.TemplateData;
import dev.idsync.config.IdsyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The tenants of idsync.yaml (the same file every service reads) that the signed-in admin's token may act
 * on. The console learns names and schedules here; everything else it shows comes from the APIs.
 */
@ApplicationScoped
public class Tenants {

    /** A tenant as the pages show it: id, display name and its delta schedule. */
    @TemplateData
    public record TenantView(String id, String name, boolean scheduled, Duration every, String cron) {
        public String schedule() {
            if (!scheduled) {
                return "on request only";
            }
            return cron != null ? "cron " + cron : "every " + Formats.duration(every.toMillis());
        }
    }

    private final IdsyncConfig config;

    Tenants(IdsyncConfig config) {
        this.config = config;
    }

    public List<TenantView> visibleTo(Viewer viewer) {
        return config.tenants().entrySet().stream().filter(e -> viewer.mayAct(e.getKey())).sorted(java.util.Map.Entry.comparingByKey())
                .map(e -> view(e.getKey(), e.getValue())).toList();
    }

    public Optional<TenantView> find(String id) {
        return Optional.ofNullable(config.tenants().get(id)).map(t -> view(id, t));
    }

    private static TenantView view(String id, IdsyncConfig.Tenant t) {
        return new TenantView(id, t.name(), t.schedule().enabled(), t.schedule().every(), t.schedule().cron().orElse(null));
    }
}
