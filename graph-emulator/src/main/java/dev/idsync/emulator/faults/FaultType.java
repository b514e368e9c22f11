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
    DROP_CONNECTION,
    /** A change notification to a matching notificationUrl (path regex) is never sent. */
    NOTIFICATION_LOST,
    /** A change notification is sent twice (Graph delivers at least once). */
    NOTIFICATION_DUPLICATED,
    /** A change notification is held back a second, so notifications sent after it overtake it. */
    NOTIFICATION_OUT_OF_ORDER;

    /** Applies to the emulator's outgoing change notifications, not to incoming requests. */
    public boolean isNotification() {
        return name().startsWith("NOTIFICATION_");
    }
}
