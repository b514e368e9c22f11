package dev.idsync.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where the console finds the services whose APIs it calls (the only configuration it has of its own). */
@ConfigMapping(prefix = "idsync.console")
public interface ConsoleConfig {

    Services services();

    /** How long one API call may take before the page shows the service as unavailable. */
    @WithDefault("10s")
    Duration timeout();

    /** Base URLs of the services' HTTP APIs (env {@code IDSYNC_CONSOLE_SERVICES_<NAME>}). */
    interface Services {
        @WithDefault("http://127.0.0.1:8081")
        URI poller();

        @WithDefault("http://127.0.0.1:8082")
        URI processor();

        @WithDefault("http://127.0.0.1:8083")
        URI roleMapper();

        @WithDefault("http://127.0.0.1:8084")
        URI writer();

        @WithDefault("http://127.0.0.1:8085")
        URI audit();
    }
}
