package dev.idsync.profile.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import dev.idsync.profile.local.LocalFields;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a PATCH body completely before anything else happens (reference 000: "Änderungen validieren"),
 * collecting every problem so the 422 names each bad field at once. Shape:
 *
 * <pre>{"entra": {"jobTitle": "Teamleitung", "mobilePhone": null},
 *  "local": {"employeeType": "employee", "employmentStatus": "active", "remoteWork": true,
 *            "gdprRestricted": false, "gdprReason": null, "entryDate": "2024-01-15", "exitDate": null}}</pre>
 *
 * The local-only fields sit in their own section because Entra has a property of the same name
 * ({@code employeeType}) that means something else; {@code local}, when present, replaces all of them.
 */
public final class ProfilePatchParser {

    private static final Set<String> SECTIONS = Set.of("entra", "local");
    private static final Set<String> LOCAL_FIELDS = Set.of("employeeType", "employmentStatus", "remoteWork",
            "gdprRestricted", "gdprReason", "entryDate", "exitDate");
    /** International or national notation: digits with spaces, dashes, dots, slashes, parentheses; 3–20 digits. */
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()./-]*(?:\\s*(?:x|ext\\.?)\\s*[0-9]{1,6})?");
    /** A country name as Entra holds it (free text): letters, spaces and the punctuation of country names. */
    private static final Pattern COUNTRY = Pattern.compile("\\p{L}[\\p{L} .,'()-]*");
    /** BCP 47 as Graph expects it, e.g. {@code de-DE}, {@code en}. */
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?");
    private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());
    private static final int LOCAL_TEXT_MAX = 64;
    private static final int GDPR_REASON_MAX = 1000;

    private ProfilePatchParser() {
    }

    public static ProfilePatch parse(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ProblemException.unprocessable(List.of(new FieldError("body", "must be a JSON object")));
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!SECTIONS.contains(name)) {
                errors.add(new FieldError(name, "unknown field; the body has the sections 'entra' and 'local'"));
            }
        });
        Map<String, Object> entra = entra(body.get("entra"), errors);
        Optional<LocalFields> local = local(body.get("local"), errors);
        if (errors.isEmpty() && entra.isEmpty() && local.isEmpty()) {
            errors.add(new FieldError("body", "nothing to update: give 'entra' properties and/or a 'local' section"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable(errors);
        }
        return new ProfilePatch(entra, local);
    }

    private static Map<String, Object> entra(JsonNode section, List<FieldError> errors) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (section == null || section.isNull()) {
            return changes;
        }
        if (!section.isObject()) {
            errors.add(new FieldError("entra", "must be an object of Entra user properties"));
            return changes;
        }
        section.fields().forEachRemaining(entry -> {
            String field = "entra." + entry.getKey();
            EntraField def = EntraField.ALL.get(entry.getKey());
            if (def == null) {
                errors.add(new FieldError(field, LOCAL_FIELDS.contains(entry.getKey()) && !entry.getKey().equals("employeeType")
                        ? "a local-only field: put it in the 'local' section"
                        : "unknown or not editable Entra property; editable: " + String.join(", ", EntraField.NAMES)));
                return;
            }
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                if (def.clearable()) {
                    changes.put(def.name(), null);
                } else {
                    errors.add(new FieldError(field, "cannot be cleared"));
                }
                return;
            }
            Object checked = checkEntra(def, value, field, errors);
            if (checked != null) {
                changes.put(def.name(), checked);
            }
        });
        return changes;
    }

    private static Object checkEntra(EntraField def, JsonNode value, String field, List<FieldError> errors) {
        switch (def.kind()) {
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    errors.add(new FieldError(field, "must be true or false"));
                    return null;
                }
                return value.booleanValue();
            }
            case PHONE_LIST -> {
                if (!value.isArray()) {
                    errors.add(new FieldError(field, "must be an array of phone numbers"));
                    return null;
                }
                if (value.size() > 1) {
                    errors.add(new FieldError(field, "Entra holds at most one business phone"));
                    return null;
                }
                List<String> phones = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    String phone = text(def, value.get(i), field + "[" + i + "]", errors);
                    if (phone == null) {
                        return null;
                    }
                    if (!phone(phone)) {
                        errors.add(new FieldError(field + "[" + i + "]", "not a phone number (e.g. +49 30 1234567)"));
                        return null;
                    }
                    phones.add(phone);
                }
                return phones;
            }
            default -> {
                String text = text(def, value, field, errors);
                if (text == null) {
                    return null;
                }
                String problem = switch (def.kind()) {
                    case PHONE -> phone(text) ? null : "not a phone number (e.g. +49 171 2345678)";
                    case COUNTRY -> COUNTRY.matcher(text).matches() ? null : "not a country name (e.g. Germany)";
                    case USAGE_LOCATION -> ISO_COUNTRIES.contains(text) ? null
                            : "must be an ISO 3166-1 alpha-2 country code in capitals (e.g. DE)";
                    case LANGUAGE -> LANGUAGE.matcher(text).matches() ? null : "not a language tag (e.g. de-DE)";
                    default -> null;
                };
                if (problem != null) {
                    errors.add(new FieldError(field, problem));
                    return null;
                }
                return text;
            }
        }
    }

    private static boolean phone(String text) {
        long digits = text.chars().filter(Character::isDigit).count();
        return PHONE.matcher(text).matches() && digits >= 3 && digits <= 20;
    }

    private static String text(EntraField def, JsonNode value, String field, List<FieldError> errors) {
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String text = value.textValue();
        if (text.isBlank()) {
            errors.add(new FieldError(field, def.clearable() ? "must not be blank (use null to clear it)" : "must not be blank"));
            return null;
        }
        if (text.length() > def.maxLength()) {
            errors.add(new FieldError(field, "at most " + def.maxLength() + " characters"));
            return null;
        }
        return text;
    }

    private static Optional<LocalFields> local(JsonNode section, List<FieldError> errors) {
        if (section == null || section.isNull()) {
            return Optional.empty();
        }
        if (!section.isObject()) {
            errors.add(new FieldError("local", "must be an object of local-only fields"));
            return Optional.empty();
        }
        int before = errors.size();
        section.fieldNames().forEachRemaining(name -> {
            if (!LOCAL_FIELDS.contains(name)) {
                errors.add(new FieldError("local." + name, EntraField.ALL.containsKey(name)
                        ? "an Entra property: put it in the 'entra' section"
                        : "unknown local-only field; known: " + String.join(", ", LOCAL_FIELDS.stream().sorted().toList())));
            }
        });
        String employeeType = localText(section, "employeeType", LOCAL_TEXT_MAX, errors);
        String employmentStatus = localText(section, "employmentStatus", LOCAL_TEXT_MAX, errors);
        Boolean remoteWork = localBoolean(section, "remoteWork", errors);
        Boolean gdpr = localBoolean(section, "gdprRestricted", errors);
        String gdprReason = localText(section, "gdprReason", GDPR_REASON_MAX, errors);
        LocalDate entry = localDate(section, "entryDate", errors);
        LocalDate exit = localDate(section, "exitDate", errors);
        if (Boolean.TRUE.equals(gdpr) && gdprReason == null && !has(errors, "local.gdprReason")) {
            errors.add(new FieldError("local.gdprReason", "required when gdprRestricted is true"));
        }
        if (entry != null && exit != null && exit.isBefore(entry)) {
            errors.add(new FieldError("local.exitDate", "must not be before entryDate (" + entry + ")"));
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new LocalFields(employeeType, employmentStatus, remoteWork, Boolean.TRUE.equals(gdpr),
                gdprReason, entry, exit));
    }

    private static boolean has(List<FieldError> errors, String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    private static String localText(JsonNode section, String name, int max, List<FieldError> errors) {
        JsonNode value = section.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            errors.add(new FieldError("local." + name, "must be a non-blank string or null"));
            return null;
        }
        if (value.textValue().length() > max) {
            errors.add(new FieldError("local." + name, "at most " + max + " characters"));
            return null;
        }
        return value.textValue();
    }

    private static Boolean localBoolean(JsonNode section, String name, List<FieldError> errors) {
        JsonNode value = section.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            errors.add(new FieldError("local." + name, "must be true, false or null"));
            return null;
        }
        return value.booleanValue();
    }

    private static LocalDate localDate(JsonNode section, String name, List<FieldError> errors) {
        JsonNode value = section.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (!value.isTextual()) {
                throw new DateTimeParseException("not text", value.toString(), 0);
            }
            return LocalDate.parse(value.textValue());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("local." + name, "must be a date like 2024-01-15"));
            return null;
        }
    }
}
