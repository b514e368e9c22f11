package dev.idsync.profile.update;

import dev.idsync.api.ProblemException;
import dev.idsync.config.IdsyncConfig;
import dev.idsync.events.ProfileRejection;
import dev.idsync.events.ProfileUpdate;
import dev.idsync.events.ProfileUpdateRejected;
import dev.idsync.events.ProfileUpdated;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.graph.users.PatchOutcome;
import dev.idsync.profile.ProfileMetrics;
import dev.idsync.profile.graph.GraphCalls;
import dev.idsync.profile.graph.GraphFailure;
import dev.idsync.profile.graph.ObservedUser;
import dev.idsync.profile.graph.TenantGraph;
import dev.idsync.profile.graph.TenantGraphs;
import dev.idsync.profile.local.LocalFields;
import dev.idsync.profile.local.LocalProfileStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The pessimistic profile update (README, "The update"): Entra first, re-read, only then store.
 *
 * <ol>
 * <li>Lock the user (also across instances: {@link UserLocks}).</li>
 * <li>Read the user from Entra: the "before" of the event and, with the stored local fields, the current
 * ETag that {@code If-Match} is checked against.</li>
 * <li>Write the local-only fields in the open transaction (not yet visible).</li>
 * <li>PATCH only the Entra properties (local-only fields never leave idsync), then re-read the user:
 * only the re-read values are confirmed (DESIGN invariant 1); compare them with the request.</li>
 * <li>Publish {@code profile.updated} and the confirmed re-read as an observation ({@code user.upserted} on
 * the Graph observation topic, for delta-processor to merge) in one Kafka transaction, and commit the
 * database only after Kafka did.</li>
 * </ol>
 * Any failure before the Kafka commit rolls the database back and publishes {@code profile.update-rejected}
 * instead. (A crash between the Kafka and the database commit leaves published events whose local fields
 * are not stored; Entra already holds its part, and repeating the request converges.)
 */
@ApplicationScoped
public class ProfileUpdater {

    private static final Logger LOG = Logger.getLogger(ProfileUpdater.class);
    private static final String LOCAL_PREFIX = "local.";

    private final TenantGraphs graphs;
    private final GraphCalls calls;
    private final UserLocks locks;
    private final ProfileEvents events;
    private final ProfileMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    ProfileUpdater(TenantGraphs graphs, GraphCalls calls, UserLocks locks, ProfileEvents events, ProfileMetrics metrics) {
        this.graphs = graphs;
        this.calls = calls;
        this.locks = locks;
        this.events = events;
        this.metrics = metrics;
    }

    /** The request, already validated by {@link ProfilePatchParser}. */
    public record UpdateRequest(String tenantId, String userId, ProfilePatch patch, Optional<String> ifMatch,
            String actor, String requestId) {
    }

    public ProfileView update(UpdateRequest request) {
        IdsyncConfig.Tenant tenant = graphs.find(request.tenantId())
                .orElseThrow(() -> ProblemException.notFound("unknown tenant " + request.tenantId()));
        try {
            ProfileView confirmed;
            try (UserLocks.Held lock = locks.acquire(request.tenantId(), request.userId())) {
                confirmed = updateLocked(request, tenant, lock.connection());
            }
            metrics.updated(request.tenantId());
            return confirmed;
        } catch (GraphFailure failure) {
            reject(request, failure.kind().reason, failure.kind().status, failure.getMessage());
            throw failure;
        } catch (ProblemException problem) {
            reject(request, reasonOf(problem.problem().status()), problem.problem().status(), problem.problem().detail());
            throw problem;
        } catch (RuntimeException e) {
            reject(request, "internalError", 500, "the update could not be completed");
            throw e;
        }
    }

    private ProfileView updateLocked(UpdateRequest request, IdsyncConfig.Tenant tenant, Connection c) {
        TenantGraph graph = graphs.of(request.tenantId(), tenant);
        List<String> select = EntraUser.select(tenant);
        ObservedUser before = calls.read(graph, request.userId(), select);
        LocalFields localBefore = storedLocal(c, request);
        String currentTag = ProfileETag.of(EntraUser.editable(before), localBefore.asMap());
        if (request.ifMatch().isPresent() && !ProfileETag.matches(request.ifMatch().get(), currentTag)) {
            throw new ProblemException(412, "Precondition Failed", "the profile changed since it was read "
                    + "(If-Match " + request.ifMatch().get() + ", now " + currentTag + "); read it again");
        }

        ProfilePatch patch = request.patch();
        LocalFields localAfter = patch.local().orElse(localBefore);
        if (patch.local().isPresent()) {
            // Written before Entra is asked, in the transaction that commits only after the events: a value
            // the database refuses stops the update before anything reaches Entra.
            storeLocal(c, request, localAfter);
        }
        ObservedUser after = before;
        if (!patch.entra().isEmpty()) {
            PatchOutcome outcome = calls.patch(graph, request.userId(), patch.entra());
            switch (outcome) {
                case PatchOutcome.NotFound ignored -> throw GraphFailure.notFound(request.userId());
                case PatchOutcome.Denied denied -> throw GraphFailure.denied(GraphFailure.WRITE_PERMISSION, denied.message());
                case PatchOutcome.Rejected rejected -> throw GraphFailure.rejected(
                        dev.idsync.profile.graph.GraphErrors.propertyOf(rejected.message()), rejected.message());
                case PatchOutcome.Updated updated -> {
                    // Confirmed by graph-access' re-read; read again here for the values and Graph's Date.
                }
            }
            after = calls.read(graph, request.userId(), select);
        }
        ConfirmationCheck.Result check = ConfirmationCheck.compare(patch.entra(), after.properties());
        if (!check.mismatches().isEmpty()) {
            metrics.mismatches(request.tenantId(), check.mismatches().size());
            LOG.warnf("Entra confirmed other values than written for user %s: %s", request.userId(), check.mismatches());
        }

        try {
            ProfileUpdated updated = new ProfileUpdated(request.tenantId(), request.userId(), request.requestId(), 0,
                    after.observedAt(), new ProfileUpdate(request.actor(), changed(patch, before, localBefore),
                            changed(patch, after, localAfter)));
            UserUpserted confirmed = EntraUser.observation(request.tenantId(), after, request.requestId());
            events.publish(List.of(SyncEventRecords.of(updated), SyncEventRecords.observation(confirmed)));
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not commit the update of user " + request.userId()
                    + " (Entra holds the confirmed change; repeat the request)", e);
        }
        Map<String, Object> entra = EntraUser.editable(after);
        return new ProfileView(request.tenantId(), request.userId(), entra, localAfter.asMap(), after.observedAt(),
                check.normalised(), check.mismatches(), ProfileETag.of(entra, localAfter.asMap()));
    }

    /** The attributes the request touched, Entra's by their Graph name and local-only ones as {@code local.*}. */
    private static Map<String, Object> changed(ProfilePatch patch, ObservedUser user, LocalFields local) {
        Map<String, Object> values = new LinkedHashMap<>();
        patch.entra().keySet().forEach(name -> values.put(name, user.properties().get(name)));
        if (patch.local().isPresent()) {
            local.asMap().forEach((name, value) -> values.put(LOCAL_PREFIX + name, value));
        }
        return values;
    }

    private static void storeLocal(Connection c, UpdateRequest request, LocalFields fields) {
        try {
            LocalProfileStore.write(c, request.tenantId(), request.userId(), fields, request.actor());
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the local fields of user " + request.userId(), e);
        }
    }

    private static LocalFields storedLocal(Connection c, UpdateRequest request) {
        try {
            return LocalProfileStore.read(c, request.tenantId(), request.userId()).orElse(LocalFields.NONE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the local fields of user " + request.userId(), e);
        }
    }

    private void reject(UpdateRequest request, String reason, int status, String detail) {
        metrics.rejected(request.tenantId(), reason);
        Map<String, Object> requested = new LinkedHashMap<>(request.patch().entra());
        request.patch().local().ifPresent(l -> l.asMap().forEach((k, v) -> requested.put(LOCAL_PREFIX + k, v)));
        var event = new ProfileUpdateRejected(request.tenantId(), request.userId(), request.requestId(), 0,
                clock.instant(), new ProfileRejection(request.actor(), reason, status, detail, requested));
        try {
            events.publish(List.of(SyncEventRecords.of(event)));
        } catch (RuntimeException e) {
            // The client still gets the original error; the audit misses this one rejection.
            LOG.errorf(e, "could not publish the rejection of the update of user %s (%s)", request.userId(), reason);
        }
    }

    private static String reasonOf(int status) {
        return switch (status) {
            case 412 -> "preconditionFailed";
            case 503 -> "userBusy";
            default -> "status" + status;
        };
    }
}
