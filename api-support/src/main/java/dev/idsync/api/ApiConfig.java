package dev.idsync.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What every idsync API shares and an operator may tune (prefix {@code idsync.api}); defaults suit
 * Entra app roles (docs/CONTRACT.md, "Security").
 */
@ConfigMapping(prefix = "idsync.api")
public interface ApiConfig {

    /** Which idsync tenants a token may act on. */
    Tenants tenants();

    interface Tenants {

        /**
         * The token claim that carries the tenant scope: a string or an array of strings. Default
         * {@code roles}, so an Entra admin grants tenants as app roles, like the idsync roles themselves.
         */
        @WithDefault("roles")
        String claim();

        /**
         * How one entry of {@link #claim()} names a tenant: {@code {tenant}} stands for the idsync tenant id.
         * Default {@code idsync.tenant.{tenant}} (the app role {@code idsync.tenant.contoso} grants
         * {@code contoso}); {@code {tenant}} for a claim that lists bare tenant ids.
         */
        @WithDefault("idsync.tenant.{tenant}")
        String entry();

        /** The role (claim {@code roles}) that grants every tenant: a global operator. */
        @WithDefault(Roles.OPERATOR)
        String operatorRole();
    }
}
