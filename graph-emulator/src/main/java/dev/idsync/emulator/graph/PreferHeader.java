package dev.idsync.emulator.graph;

import java.util.List;
import java.util.Locale;

/** The parts of RFC 7240 {@code Prefer} headers Graph honours on delta queries. */
public record PreferHeader(Integer maxPageSize, boolean returnMinimal) {

    public static PreferHeader parse(List<String> values) {
        Integer maxPageSize = null;
        boolean minimal = false;
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    String p = part.trim().toLowerCase(Locale.ROOT);
                    if (p.startsWith("odata.maxpagesize=")) {
                        try {
                            maxPageSize = Integer.parseInt(p.substring("odata.maxpagesize=".length()).trim());
                        } catch (NumberFormatException e) {
                            throw GraphError.badRequest("Invalid value for preference odata.maxpagesize.");
                        }
                    } else if (p.equals("return=minimal")) {
                        minimal = true;
                    }
                }
            }
        }
        return new PreferHeader(maxPageSize, minimal);
    }
}
