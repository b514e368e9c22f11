package dev.idsync.profile.read;

import dev.idsync.api.ProblemException;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.profile.ProfileMetrics;
import dev.idsync.profile.graph.GraphCalls;
import dev.idsync.profile.graph.ObservedUser;
import dev.idsync.profile.graph.TenantGraphs;
import dev.idsync.profile.update.EntraUser;
import dev.idsync.profile.update.ProfileEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Single-user import: reads one user from Entra now and publishes it as an observation
 * ({@code user.upserted} on the Graph observation topic, which delta-processor merges), for a user who must
 * not wait for the next delta run. Graph's Date is the {@code observedAt}, so a later delta observation still
 * wins and an older one cannot overwrite this.
 */
@ApplicationScoped
public class UserImporter {

    private final TenantGraphs graphs;
    private final GraphCalls calls;
    private final ProfileEvents events;
    private final ProfileMetrics metrics;

    UserImporter(TenantGraphs graphs, GraphCalls calls, ProfileEvents events, ProfileMetrics metrics) {
        this.graphs = graphs;
        this.calls = calls;
        this.events = events;
        this.metrics = metrics;
    }

    public UserUpserted importUser(String tenantId, String userId, String requestId) {
        IdsyncConfig.Tenant tenant = graphs.find(tenantId)
                .orElseThrow(() -> ProblemException.notFound("unknown tenant " + tenantId));
        ObservedUser user = calls.read(graphs.of(tenantId, tenant), userId, EntraUser.select(tenant));
        UserUpserted event = EntraUser.observation(tenantId, user, "import-" + requestId);
        events.publish(List.of(SyncEventRecords.observation(event)));
        metrics.imported(tenantId);
        return event;
    }
}
