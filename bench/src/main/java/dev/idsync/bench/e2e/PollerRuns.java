package dev.idsync.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Runs of the demo tenant on graph-poller's API, with an admin token for that tenant (issue 16: tenant-scoped) minted by the emulator. */
final class PollerRuns {

    private final String pollerUrl;
    private final String token;

    PollerRuns(String pollerUrl, String emulatorUrl) {
        this.pollerUrl = pollerUrl;
        this.token = Http.post(emulatorUrl + "/_emulator/tenants/" + BenchStack.TENANT + "/tokens", null,
                Map.of("subject", "bench-admin", "audience", "idsync-api", "roles", List.of("idsync.admin", "idsync.reader", "idsync.tenant." + BenchStack.TENANT)))
                .path("token").asText();
    }

    /** Starts a delta run (the first one of a tenant is Graph's initial query); returns its id. */
    String startDelta() {
        return Http.post(runs(), token, Map.of("mode", "delta")).path("runId").asText();
    }

    JsonNode get(String runId) {
        return Http.get(runs() + "/" + runId, token);
    }

    private String runs() {
        return pollerUrl + "/api/tenants/" + BenchStack.TENANT + "/sync-runs";
    }
}
