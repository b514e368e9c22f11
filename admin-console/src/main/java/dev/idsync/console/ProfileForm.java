package dev.idsync.console;

import io.quarkus.qute.TemplateData;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile edit form: which fields it offers, their values (as read from profile-writer, or as the admin
 * entered them when the update failed) and the PATCH body it sends, which holds only the Entra fields that
 * changed (so a concurrent edit of another field is not overwritten) and, if any local-only field changed,
 * the whole local section (profile-writer replaces it as a unit).
 */
@TemplateData
public record ProfileForm(Map<String, String> values, Map<String, String> originals, String etag) {

    /** Entra properties the console edits (a subset of profile-writer's EntraField). */
    public static final List<String> ENTRA = List.of("displayName", "jobTitle", "department", "officeLocation",
            "mobilePhone", "city", "country");
    /** The local-only fields (profile-writer's LOCAL_FIELDS). */
    public static final List<String> LOCAL = List.of("employeeType", "employmentStatus", "remoteWork",
            "gdprRestricted", "gdprReason", "entryDate", "exitDate");
    static final List<String> FLAGS = List.of("remoteWork", "gdprRestricted");

    public static ProfileForm of(JsonNode profile, String etag) {
        Map<String, String> values = new LinkedHashMap<>();
        ENTRA.forEach(f -> values.put(f, text(profile.path("entra").path(f))));
        LOCAL.forEach(f -> values.put(f, FLAGS.contains(f) ? String.valueOf(profile.path("local").path(f).asBoolean(false))
                : text(profile.path("local").path(f))));
        return new ProfileForm(values, values, etag);
    }

    /** What the admin submitted; {@code orig.<field>} are the values the form was rendered with. */
    public static ProfileForm submitted(MultivaluedMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        ENTRA.forEach(f -> values.put(f, trimmed(form.getFirst(f))));
        LOCAL.forEach(f -> values.put(f, FLAGS.contains(f) ? String.valueOf(form.getFirst(f) != null)
                : trimmed(form.getFirst(f))));
        Map<String, String> originals = new LinkedHashMap<>();
        ENTRA.forEach(f -> originals.put(f, trimmed(form.getFirst("orig." + f))));
        LOCAL.forEach(f -> originals.put(f, trimmed(form.getFirst("orig." + f))));
        return new ProfileForm(values, originals, form.getFirst("etag"));
    }

    public Map<String, Object> patch() {
        Map<String, Object> entra = new LinkedHashMap<>();
        for (String f : ENTRA) {
            if (!values.get(f).equals(originals.get(f))) {
                entra.put(f, values.get(f).isEmpty() ? null : values.get(f));
            }
        }
        boolean localChanged = LOCAL.stream().anyMatch(f -> !values.get(f).equals(originals.get(f)));
        Map<String, Object> body = new LinkedHashMap<>();
        if (!entra.isEmpty()) {
            body.put("entra", entra);
        }
        if (localChanged) {
            Map<String, Object> local = new LinkedHashMap<>();
            for (String f : LOCAL) {
                String v = values.get(f);
                local.put(f, FLAGS.contains(f) ? Boolean.valueOf(v) : v.isEmpty() ? null : v);
            }
            body.put("local", local);
        }
        return body;
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    /** The value as read before the admin edited it: what the PATCH is computed against. */
    public String original(String field) {
        return originals.getOrDefault(field, "");
    }

    /** A checkbox field (the others are text). */
    public boolean flag(String field) {
        return FLAGS.contains(field);
    }

    public boolean checked(String field) {
        return "true".equals(values.get(field));
    }

    private static String text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        return node.isBoolean() ? String.valueOf(node.asBoolean()) : node.asText();
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }
}
