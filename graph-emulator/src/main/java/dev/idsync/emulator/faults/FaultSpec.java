package dev.idsync.emulator.faults;

/**
 * A fault to inject, as posted to {@code /_emulator/faults}.
 *
 * @param path              Java regex matched (find) against the request path, e.g. {@code /users/delta}
 * @param method            HTTP method to match, or null for any
 * @param type              what to do
 * @param retryAfterSeconds value of {@code Retry-After} for THROTTLE/UNAVAILABLE, or null for none
 * @param latencyMillis     delay for LATENCY
 * @param count             how many matching requests to affect; null for unlimited
 * @param ratio             share of matching requests to affect (0..1]; null for all
 * @param seed              random seed for {@code ratio}, so a run is reproducible
 */
public record FaultSpec(String path, String method, FaultType type, Integer retryAfterSeconds, Integer latencyMillis,
                        Integer count, Double ratio, Long seed) {

    public FaultSpec {
        if (type == null) {
            throw new IllegalArgumentException("type is required (THROTTLE, UNAVAILABLE, LATENCY, DROP_CONNECTION, "
                    + "NOTIFICATION_LOST, NOTIFICATION_DUPLICATED, NOTIFICATION_OUT_OF_ORDER)");
        }
        if (path == null || path.isBlank()) {
            path = ".*";
        }
        java.util.regex.Pattern.compile(path);
        if (type == FaultType.LATENCY && (latencyMillis == null || latencyMillis < 0)) {
            throw new IllegalArgumentException("LATENCY needs latencyMillis >= 0");
        }
        if (ratio != null && (ratio <= 0 || ratio > 1)) {
            throw new IllegalArgumentException("ratio must be in (0, 1]");
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("count must be >= 1");
        }
        if (retryAfterSeconds != null && retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
        }
    }
}
