package dev.idsync.profile.read;

import dev.idsync.api.ProblemException;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.profile.graph.GraphCalls;
import dev.idsync.profile.graph.ObservedUser;
import dev.idsync.profile.graph.TenantGraphs;
import dev.idsync.profile.local.LocalFields;
import dev.idsync.profile.local.LocalProfileStore;
import dev.idsync.profile.update.EntraUser;
import dev.idsync.profile.update.ProfileETag;
import dev.idsync.profile.update.ProfileView;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A user's profile for GET: the Entra properties read from Entra now (Entra is the source of truth, so
 * the view and its ETag include changes made there directly) and the stored local-only fields.
 */
@ApplicationScoped
public class ProfileReader {

    private final TenantGraphs graphs;
    private final GraphCalls calls;
    private final AgroalDataSource dataSource;

    ProfileReader(TenantGraphs graphs, GraphCalls calls, AgroalDataSource dataSource) {
        this.graphs = graphs;
        this.calls = calls;
        this.dataSource = dataSource;
    }

    public ProfileView read(String tenantId, String userId) {
        IdsyncConfig.Tenant tenant = graphs.find(tenantId)
                .orElseThrow(() -> ProblemException.notFound("unknown tenant " + tenantId));
        ObservedUser user = calls.read(graphs.of(tenantId, tenant), userId, EntraUser.select(tenant));
        LocalFields local;
        try (Connection c = dataSource.getConnection()) {
            local = LocalProfileStore.read(c, tenantId, userId).orElse(LocalFields.NONE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the local fields of user " + userId, e);
        }
        Map<String, Object> entra = EntraUser.editable(user);
        return new ProfileView(tenantId, userId, entra, local.asMap(), user.observedAt(), List.of(), List.of(),
                ProfileETag.of(entra, local.asMap()));
    }
}
