package dev.idsync.audit.api;

import dev.idsync.api.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque paging cursor: the last seq a page returned. Opaque so clients do not compute with it. */
final class Cursor {

    private static final String PREFIX = "s1:";

    private Cursor() {
    }

    static String after(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + seq).getBytes(StandardCharsets.UTF_8));
    }

    /** The seq to continue after; 0 (the start) for no cursor. */
    static long seqOf(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                long seq = Long.parseLong(text.substring(PREFIX.length()));
                if (seq >= 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw ProblemException.badRequest("cursor", "not a cursor this API returned");
    }
}
