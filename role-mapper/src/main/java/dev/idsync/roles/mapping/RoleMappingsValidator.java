package dev.idsync.roles.mapping;

import dev.idsync.api.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks mappings before they are stored; every finding names the field as the client wrote it. */
public final class RoleMappingsValidator {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern GROUP_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> ACCESS = Set.of("read", "edit");

    private RoleMappingsValidator() {
    }

    public static List<FieldError> validate(RoleMappings m) {
        List<FieldError> errors = new ArrayList<>();
        validatePattern(m.pattern(), errors);
        Set<String> roles = new HashSet<>();
        if (m.roles() == null || m.roles().isEmpty()) {
            errors.add(new FieldError("roles", "must list at least one role"));
        } else {
            for (int i = 0; i < m.roles().size(); i++) {
                String role = m.roles().get(i);
                if (role == null || !ROLE.matcher(role).matches()) {
                    errors.add(new FieldError("roles[" + i + "]", "must be a letter followed by up to 63 letters, digits, '_', '.' or '-'"));
                } else if (!roles.add(role)) {
                    errors.add(new FieldError("roles[" + i + "]", "duplicate role '" + role + "'"));
                }
            }
        }
        if (m.defaultRole() == null || m.defaultRole().isBlank()) {
            errors.add(new FieldError("defaultRole", "is required"));
        } else if (!roles.isEmpty() && !roles.contains(m.defaultRole())) {
            errors.add(new FieldError("defaultRole", "unknown role '" + m.defaultRole() + "': must be one of " + m.roles()));
        }
        if (m.nested() != null && !RoleMappings.TRANSITIVE.equals(m.nested()) && !RoleMappings.DIRECT.equals(m.nested())) {
            errors.add(new FieldError("nested", "must be 'transitive' or 'direct'"));
        }
        for (Map.Entry<String, String> entry : m.directoryRoles().entrySet()) {
            String field = "directoryRoles." + entry.getKey();
            if (entry.getKey().isBlank()) {
                errors.add(new FieldError(field, "a directory role's roleTemplateId or display name is required"));
            }
            if (entry.getValue() == null || entry.getValue().isBlank()) {
                errors.add(new FieldError(field, "must name a role"));
            } else if (!roles.isEmpty() && !roles.contains(entry.getValue())) {
                errors.add(new FieldError(field, "unknown role '" + entry.getValue() + "': must be one of " + m.roles()));
            }
        }
        for (Map.Entry<String, GroupRole> entry : m.groups().entrySet()) {
            String field = "groups." + entry.getKey();
            if (!GROUP_ID.matcher(entry.getKey()).matches()) {
                errors.add(new FieldError(field, "not a group object id (a GUID)"));
            }
            GroupRole mapping = entry.getValue();
            if (mapping == null) {
                errors.add(new FieldError(field, "must name a role"));
                continue;
            }
            if (mapping.role() == null || mapping.role().isBlank()) {
                errors.add(new FieldError(field + ".role", "is required"));
            } else if (!roles.isEmpty() && !roles.contains(mapping.role())) {
                errors.add(new FieldError(field + ".role", "unknown role '" + mapping.role() + "': must be one of " + m.roles()));
            }
            if (mapping.access() == null || !ACCESS.contains(mapping.access())) {
                errors.add(new FieldError(field + ".access", "must be 'read' or 'edit'"));
            }
        }
        return errors;
    }

    private static void validatePattern(String pattern, List<FieldError> errors) {
        if (pattern == null || pattern.isBlank()) {
            errors.add(new FieldError("pattern", "is required, e.g. App-{tenant}-{role}"));
            return;
        }
        if (pattern.length() > 256) {
            errors.add(new FieldError("pattern", "longer than 256 characters (Entra group names are at most 256)"));
        }
        int roleCount = 0;
        Matcher placeholders = PLACEHOLDER.matcher(pattern);
        while (placeholders.find()) {
            String name = placeholders.group(1);
            if (name.equals("role")) {
                roleCount++;
            } else if (!name.equals("tenant")) {
                errors.add(new FieldError("pattern", "unknown placeholder {" + name + "}: only {tenant} and {role}"));
            }
        }
        if (roleCount != 1) {
            errors.add(new FieldError("pattern", "must contain {role} exactly once"));
        }
        String rest = PLACEHOLDER.matcher(pattern).replaceAll("");
        if (rest.contains("{") || rest.contains("}")) {
            errors.add(new FieldError("pattern", "unbalanced '{' or '}'"));
        }
    }
}
