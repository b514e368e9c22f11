package dev.idsync.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The role-mappings form as the admin sees it: roles comma separated, explicit groups one
 * {@code <group id> = <role>[:<access>]} a line, directory roles one {@code <directory role> = <role>} a line,
 * {@code nested} transitive or direct. {@link #request()} turns it into role-mapper's body (the same for the
 * simulation and the save, so a save applies exactly what was simulated); {@link #of} is the reverse.
 */
@TemplateData
public record MappingsForm(String pattern, String roles, String defaultRole, String groups, String nested,
        String directoryRoles) {

    /** role-mapper's body and the lines the console could not even read (named like role-mapper's fields). */
    public record Request(Map<String, Object> body, List<ApiResult.FieldMessage> errors) {
    }

    /** The stored mappings (role-mapper's GET or a history entry) as the form shows them. */
    public static MappingsForm of(JsonNode mappings) {
        StringBuilder groups = new StringBuilder();
        mappings.path("groups").properties().forEach(e -> groups.append(e.getKey()).append(" = ")
                .append(e.getValue().path("role").asText())
                .append(e.getValue().path("access").isTextual() ? ":" + e.getValue().path("access").asText() : "")
                .append('\n'));
        StringBuilder directoryRoles = new StringBuilder();
        mappings.path("directoryRoles").properties().forEach(e -> directoryRoles.append(e.getKey()).append(" = ")
                .append(e.getValue().asText()).append('\n'));
        List<String> roles = new ArrayList<>();
        mappings.path("roles").forEach(r -> roles.add(r.asText()));
        return new MappingsForm(mappings.path("pattern").asText(""), String.join(", ", roles),
                mappings.path("defaultRole").asText(""), groups.toString(), mappings.path("nested").asText("transitive"),
                directoryRoles.toString());
    }

    public Request request() {
        List<ApiResult.FieldMessage> errors = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pattern", blank(pattern) ? null : pattern.trim());
        body.put("roles", blank(roles) ? null
                : Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList());
        body.put("defaultRole", blank(defaultRole) ? null : defaultRole.trim());
        Map<String, Object> groupMap = new LinkedHashMap<>();
        lines(groups, "groups", "<group id> = <role>[:<access>]", errors).forEach((id, value) -> {
            String[] roleAccess = value.split(":", 2);
            Map<String, Object> mapping = new LinkedHashMap<>();
            mapping.put("role", roleAccess[0].trim());
            mapping.put("access", roleAccess.length > 1 ? roleAccess[1].trim() : null);
            groupMap.put(id, mapping);
        });
        body.put("groups", groupMap);
        // Blank = role-mapper's default (transitive); anything else goes as typed so a wrong value gets its 422.
        body.put("nested", blank(nested) ? null : nested.trim());
        // Sent even when empty: the body replaces the whole mappings, so leaving it out would switch them off.
        body.put("directoryRoles", lines(directoryRoles, "directoryRoles", "<directory role> = <role>", errors));
        return new Request(body, errors);
    }

    /** {@code key = value} lines, in order; a line without {@code =} is an error naming its line number. */
    private static Map<String, String> lines(String text, String field, String shape, List<ApiResult.FieldMessage> errors) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                errors.add(new ApiResult.FieldMessage(field, "line " + (i + 1) + ": expected '" + shape + "'"));
                continue;
            }
            values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return values;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
