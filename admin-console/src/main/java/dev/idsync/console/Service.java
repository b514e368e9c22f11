package dev.idsync.console;

import java.net.URI;
import java.util.function.Function;

/** The services the console talks to, with the name an admin knows them by. */
public enum Service {
    POLLER("graph-poller", ConsoleConfig.Services::poller),
    PROCESSOR("delta-processor", ConsoleConfig.Services::processor),
    ROLE_MAPPER("role-mapper", ConsoleConfig.Services::roleMapper),
    WRITER("profile-writer", ConsoleConfig.Services::writer),
    AUDIT("audit-log", ConsoleConfig.Services::audit);

    private final String displayName;
    private final Function<ConsoleConfig.Services, URI> url;

    Service(String displayName, Function<ConsoleConfig.Services, URI> url) {
        this.displayName = displayName;
        this.url = url;
    }

    public String displayName() {
        return displayName;
    }

    URI base(ConsoleConfig config) {
        return url.apply(config.services());
    }
}
