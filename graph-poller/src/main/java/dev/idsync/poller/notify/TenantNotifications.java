package dev.idsync.poller.notify;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.poller.graph.PollerTenants;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Each tenant's change-notification settings from idsync.yaml, resolved: which resources it subscribes to, the
 * URLs Graph is given, the subscription lifetime within Graph's maximum, and the {@code clientState} secret
 * (read from the environment variable the tenant names; compared in constant time, never logged).
 */
@ApplicationScoped
public class TenantNotifications {

    /** Graph's maximum subscription length for users and groups. */
    public static final Duration GRAPH_MAX_LIFETIME = Duration.ofMinutes(41_760);
    /** The resources notifications can trigger runs of. */
    public static final List<String> RESOURCES = List.of("users", "groups");
    /** The endpoint's path; Graph is given {@code <public-url>}{@value}{@code /<tenant>} (and {@code /lifecycle}). */
    public static final String PATH = "/graph/notifications";

    private final PollerTenants tenants;
    private final Config config;

    TenantNotifications(PollerTenants tenants, Config config) {
        this.tenants = tenants;
        this.config = config;
    }

    /** Tenants that have notifications switched on. */
    public List<String> enabledTenants() {
        return tenants.ids().stream().filter(this::enabled).sorted().toList();
    }

    public boolean enabled(String tenantId) {
        return tenants.find(tenantId).map(t -> t.notifications().enabled()).orElse(false);
    }

    /** users and groups, as far as the tenant syncs them. */
    public List<String> resources(String tenantId) {
        IdsyncConfig.Tenant tenant = tenants.find(tenantId).orElseThrow();
        return RESOURCES.stream().filter(tenant.resources()::contains).toList();
    }

    public String notificationUrl(String tenantId) {
        return base(tenantId) + PATH + "/" + tenantId;
    }

    public String lifecycleUrl(String tenantId) {
        return notificationUrl(tenantId) + "/lifecycle";
    }

    public String changeTypes(String tenantId) {
        return settings(tenantId).changeTypes();
    }

    /** The configured lifetime, never beyond Graph's maximum. */
    public Duration lifetime(String tenantId) {
        Duration configured = settings(tenantId).lifetime();
        return configured.compareTo(GRAPH_MAX_LIFETIME) > 0 ? GRAPH_MAX_LIFETIME : configured;
    }

    /** The secret, or empty when its variable is not set (then the tenant cannot subscribe). */
    public Optional<String> clientState(String tenantId) {
        return config.getOptionalValue(settings(tenantId).clientStateEnv(), String.class).filter(v -> !v.isBlank());
    }

    public String clientStateEnv(String tenantId) {
        return settings(tenantId).clientStateEnv();
    }

    /** Constant time, so the answer's timing does not tell how much of a guess was right. */
    public boolean clientStateMatches(String tenantId, String presented) {
        Optional<String> secret = clientState(tenantId);
        return presented != null && secret.isPresent() && MessageDigest.isEqual(
                secret.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The Entra tenant Graph names in notifications ({@code tenantId}): the configured id or the key. */
    public String entraTenantId(String tenantId) {
        return tenants.find(tenantId).flatMap(IdsyncConfig.Tenant::entraTenantId).orElse(tenantId);
    }

    private IdsyncConfig.Notifications settings(String tenantId) {
        return tenants.find(tenantId).orElseThrow(() -> new IllegalArgumentException("unknown tenant " + tenantId))
                .notifications();
    }

    /**
     * The public URL, else this instance's local address (reachable by the emulator only; Graph refuses it).
     * The port is read when asked, because a test instance listens on a random one.
     */
    private String base(String tenantId) {
        Optional<String> publicUrl = settings(tenantId).publicUrl().filter(u -> !u.isBlank());
        if (publicUrl.isPresent()) {
            return publicUrl.get().replaceAll("/+$", "");
        }
        String portKey = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = config.getOptionalValue(portKey, Integer.class).orElse(8081);
        String host = config.getOptionalValue("quarkus.http.host", String.class)
                .filter(h -> !h.equals("0.0.0.0") && !h.equals("::")).orElse("localhost");
        return "http://" + host + ":" + port;
    }
}
