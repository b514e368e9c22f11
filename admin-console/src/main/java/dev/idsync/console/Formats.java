package dev.idsync.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the pages write times and durations: UTC, to the second, and durations the way people say them. */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    public static String time(String iso) {
        if (iso == null || iso.isBlank() || iso.equals("null")) {
            return "—";
        }
        try {
            return TIME.format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    public static String time(Instant instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    public static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        long s = millis / 1000;
        if (s < 60) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
