package dev.idsync.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tenants idsync synchronises and how, from {@code idsync.yaml} (path in {@code IDSYNC_CONFIG},
 * loaded by each service with {@code quarkus.config.locations}). One mapping for every service, so the
 * file has one documented shape; each service reads the part it needs.
 *
 * <p>Secrets are never in the file: {@link Tenant#clientSecretEnv()} names the environment variable
 * that holds the client secret ({@link ClientSecrets} reads it).
 */
@ConfigMapping(prefix = "idsync")
public interface IdsyncConfig {

    /** Tenants by idsync's tenant id: the id in URLs ({@code /api/tenants/{id}}), event bodies and keys. */
    Map<String, Tenant> tenants();

    interface Tenant {

        /** The human name, used in group name patterns such as {@code App-{tenant}-{role}} (e.g. "Contoso"). */
        String name();

        /** The Entra tenant (GUID or verified domain) in the authority URL; defaults to the idsync tenant id. */
        Optional<String> entraTenantId();

        /** The app registration's client id (application permissions: see the graph-poller README). */
        String clientId();

        /** The environment variable holding the client secret, e.g. {@code IDSYNC_CONTOSO_CLIENT_SECRET}. */
        String clientSecretEnv();

        /** Microsoft's public cloud unless set (the emulator locally). */
        @WithDefault("https://login.microsoftonline.com")
        String authorityHost();

        @WithDefault("https://graph.microsoft.com")
        String graphBaseUrl();

        Schedule schedule();

        /** The resource types synced: {@code users}, {@code groups}, {@code directoryRoles}. */
        @WithDefault("users,groups,directoryRoles")
        Set<String> resources();

        /** Graph attributes selected per resource type ({@code $select}); defaults in {@link SelectDefaults}. */
        Map<String, List<String>> select();

        /** Graph attribute → local attribute; attributes without an entry keep their Graph name. */
        Map<String, String> fieldMapping();

        Filters filters();

        /** {@code companyName} → org unit (reference 001's orgunit_mapping). */
        Map<String, String> orgUnits();

        RoleMappings roleMappings();

        DeleteThreshold deleteThreshold();

        /** Graph change notifications that trigger delta runs between the scheduled ones (graph-poller README). */
        Notifications notifications();
    }

    /**
     * Graph change notifications for a tenant: graph-poller subscribes to {@code users} and {@code groups}, and a
     * notification triggers a delta run of that resource. Off unless enabled: Graph must reach the poller's
     * notification endpoint over public HTTPS ({@link #publicUrl()}); without notifications the schedule alone
     * keeps the tenant in sync, as before.
     */
    interface Notifications {

        /** {@code true}: subscribe and let notifications trigger delta runs. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The public HTTPS base URL at which Graph reaches graph-poller, e.g. {@code https://idsync.example.com};
         * the poller appends {@code /graph/notifications/<tenant>}. Unset: the poller's own local address (only
         * the emulator can reach it).
         */
        Optional<String> publicUrl();

        /** The environment variable holding the {@code clientState} secret Graph echoes in every notification. */
        @WithDefault("IDSYNC_GRAPH_NOTIFICATION_CLIENT_STATE")
        String clientStateEnv();

        /** How far ahead a subscription's expiration is set (at most Graph's 41,760 minutes); renewed at half. */
        @WithDefault("3d")
        @WithConverter(DurationConverter.class)
        Duration lifetime();

        /** Graph's {@code changeType} of the subscriptions. */
        @WithDefault("updated,deleted")
        String changeTypes();
    }

    interface Schedule {

        /** Interval between delta runs (reference 003: 15 minutes). Ignored when {@link #cron()} is set. */
        @WithDefault("15m")
        @WithConverter(DurationConverter.class)
        Duration every();

        /** A Quartz-style cron expression instead of the interval, e.g. {@code 0 0 2 * * ?}. */
        Optional<String> cron();

        /**
         * {@code false} stops scheduled runs, the delta runs and the scheduled full sync; on-demand runs over
         * HTTP still work.
         */
        @WithDefault("true")
        boolean enabled();

        /** The scheduled full sync, which catches drift and deletions a delta run missed. */
        FullSync fullSync();
    }

    /**
     * A full run (a new epoch, an initial query of every resource) when the tenant's last complete full
     * sync is older than {@link #every()}: consumers then sweep what it did not see. Due-ness is computed
     * from the poller's database, so a restart neither repeats nor skips it. Unset values fall back to the
     * poller's global {@code idsync.poller.full-sync.*} (default weekly).
     */
    interface FullSync {

        /** How old the last complete full sync may get, e.g. {@code 7d}, {@code 24h}; default the poller's global. */
        @WithConverter(DurationConverter.class)
        Optional<Duration> every();

        /** {@code false}: no scheduled full sync for this tenant (an admin can still start one). */
        @WithDefault("true")
        boolean enabled();
    }

    /** Scoping filters (reference 001): users outside them are removed locally with reason outOfScope. */
    interface Filters {

        /** Only users with {@code accountEnabled eq true}. */
        @WithDefault("false")
        boolean accountEnabledOnly();

        /** UPN/mail domains whose users are not synced, e.g. {@code external.contoso.example}. */
        Optional<Set<String>> excludedDomains();

        /** UPNs or object ids that are not synced, e.g. break-glass and service accounts. */
        Optional<Set<String>> excludedUsers();
    }

    /** Entra groups → application roles (references 000 and 002). */
    interface RoleMappings {

        /** Group display name pattern; {@code {tenant}} is {@link Tenant#name()}, {@code {role}} a role. */
        @WithDefault("App-{tenant}-{role}")
        String pattern();

        /** Roles found through the pattern. */
        @WithDefault("Admin,User,HR,Accounting")
        List<String> roles();

        /** Every active, in-scope user has at least this role. */
        @WithDefault("User")
        String defaultRole();

        /** Explicit mappings by group object id, which win over the pattern. */
        Map<String, GroupRole> groups();

        /**
         * {@code transitive}: members of groups nested (at any depth) in a mapped group hold its role, as in
         * Entra's {@code groups} claim; {@code direct}: only direct members, Entra's app-assignment semantics.
         */
        @WithDefault("transitive")
        String nested();

        /**
         * Optional, off when empty: Entra directory roles (key: the role's {@code roleTemplateId}, or its display
         * name, e.g. {@code Global Administrator}) → the application role their members hold.
         */
        Map<String, String> directoryRoles();
    }

    interface GroupRole {

        String role();

        /** {@code read} or {@code edit} (reference 002's access levels). */
        @WithName("access")
        @WithDefault("read")
        String accessLevel();
    }

    /**
     * Accidental-delete protection per run (anchor: Entra Connect stops an export over 500 deletions):
     * a run's deletions above either limit wait for an admin.
     */
    interface DeleteThreshold {

        @WithDefault("500")
        int count();

        @WithDefault("10")
        int percent();

        @WithDefault("true")
        boolean enabled();
    }
}
