package dev.idsync.emulator.faults;

/** The failures the emulator can inject in front of its Graph and authority endpoints. */
public enum FaultType {
    /** 429 Too Many Requests, with {@code Retry-After} when configured. */
    THROTTLE,
    /** 503 Service Unavailable, with {@code Retry-After} when configured. */
    UNAVAILABLE,
    /** Delay the request, then serve it normally. */
    LATENCY,
    /** Close the connection without any response. */
    DROP_CONNECTION
}
