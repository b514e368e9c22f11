package dev.idsync.emulator.faults;

import dev.idsync.emulator.authority.AuthorityRoutes;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Installs the interceptor and the authority routes on Quarkus' own HTTP server. */
@ApplicationScoped
public class MainServerSetup {

    /** Above every other filter, so faults hit before anything else handles the request. */
    private static final int FIRST = 10_000;

    void filters(@Observes Filters filters, RequestInterceptor interceptor) {
        filters.register(interceptor, FIRST);
    }

    void routes(@Observes Router router, AuthorityRoutes authority) {
        authority.register(router);
    }
}
