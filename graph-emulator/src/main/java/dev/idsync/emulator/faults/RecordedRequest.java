package dev.idsync.emulator.faults;

import java.time.Instant;
import java.util.Map;

/**
 * One request as the emulator saw it. Authorization values and client secrets are redacted before they
 * are recorded, so the log can be shown and asserted on freely.
 *
 * @param body   the request body for PATCH/POST to Graph and the token endpoint (secret redacted), else null
 * @param status response status, 0 for a dropped connection
 * @param fault  id of the injected fault that hit this request, or null
 */
public record RecordedRequest(long sequence, Instant receivedAt, String server, String method, String path,
                              String query, Map<String, String> headers, String body, int status, String fault) {
}
