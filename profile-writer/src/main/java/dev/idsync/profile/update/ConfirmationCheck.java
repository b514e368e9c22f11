package dev.idsync.profile.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Compares what was written with what Entra returned on the re-read. Entra may normalise a value (trim
 * spaces, change case, reformat a phone number); that is noted but confirmed. Anything else is a real
 * mismatch: the confirmed value is still what gets stored and published (Entra is the source of truth),
 * and the mismatch is reported to the caller and counted.
 */
public final class ConfirmationCheck {

    public record Difference(String field, Object requested, Object confirmed) {
    }

    public record Result(List<String> normalised, List<Difference> mismatches) {
    }

    private ConfirmationCheck() {
    }

    public static Result compare(Map<String, Object> requested, Map<String, Object> confirmed) {
        List<String> normalised = new ArrayList<>();
        List<Difference> mismatches = new ArrayList<>();
        requested.forEach((field, asked) -> {
            Object got = confirmed.get(field);
            if (same(asked, got)) {
                return;
            }
            if (Objects.equals(normalise(field, asked), normalise(field, got))) {
                normalised.add(field);
            } else {
                mismatches.add(new Difference(field, asked, got));
            }
        });
        return new Result(List.copyOf(normalised), List.copyOf(mismatches));
    }

    /** Null and an empty list are the same "cleared" state in Graph (businessPhones is never null). */
    private static boolean same(Object asked, Object got) {
        if (asked == null) {
            return got == null || (got instanceof List<?> l && l.isEmpty());
        }
        return Objects.equals(asked, got);
    }

    static Object normalise(String field, Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(v -> normalise(field, v)).toList();
        }
        if (!(value instanceof String s)) {
            return value;
        }
        EntraField def = EntraField.ALL.get(field);
        if (def != null && (def.kind() == EntraField.Kind.PHONE || def.kind() == EntraField.Kind.PHONE_LIST)) {
            return s.replaceAll("[^0-9+]", "");
        }
        String collapsed = s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return collapsed.isEmpty() ? null : collapsed;
    }
}
