package dev.idsync.profile.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entity tag of a profile: a hash of the confirmed Entra properties and the local-only fields. It
 * changes when anything a client sees changes, also a change made directly in Entra, so an {@code If-Match}
 * from an earlier GET protects against overwriting what the client has not seen.
 */
public final class ProfileETag {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ProfileETag() {
    }

    public static String of(Map<String, Object> entra, Map<String, Object> local) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(Map.of("entra", new TreeMap<>(entra), "local", new TreeMap<>(local)));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a profile", e);
        }
    }

    /** {@code If-Match}: {@code *}, or a list of tags one of which is the current one (weak prefix ignored). */
    public static boolean matches(String ifMatch, String current) {
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(current)) {
                return true;
            }
        }
        return false;
    }
}
