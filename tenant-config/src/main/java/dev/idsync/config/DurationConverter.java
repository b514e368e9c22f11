package dev.idsync.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Durations as admins write them in idsync.yaml ({@code 15m}, {@code 1h}, {@code 90s}, {@code 500ms})
 * or ISO-8601 ({@code PT15M}). Declared on the mapping so the file reads the same in every service
 * and in plain SmallRye Config, which lacks Quarkus' shorthand converter.
 */
public final class DurationConverter implements Converter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        String text = value.trim();
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration; write e.g. 15m, 1h, 90s or PT15M");
        }
    }
}
