package dev.idsync.emulator.delta;

import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.ObjectSchema;
import dev.idsync.emulator.directory.PropertyDef;
import dev.idsync.emulator.graph.GraphError;
import java.util.Locale;

/** A parsed {@code $select}: which properties to return and track, and whether group members are tracked. */
public record SelectClause(long mask, boolean members) {

    public static SelectClause parse(ObjectKind kind, String select) {
        ObjectSchema schema = ObjectSchema.of(kind);
        if (select == null || select.isBlank()) {
            return new SelectClause(schema.defaultSelectMask(), kind.hasMembers());
        }
        long mask = 0;
        boolean members = false;
        for (String raw : select.split(",")) {
            String name = raw.trim();
            if (name.isEmpty() || name.equalsIgnoreCase("id")) {
                continue;
            }
            if (kind.hasMembers() && name.toLowerCase(Locale.ROOT).equals("members")) {
                members = true;
                continue;
            }
            PropertyDef def = schema.find(name).orElseThrow(() -> GraphError.badRequest(
                    "Could not find a property named '" + name + "' on type 'microsoft.graph." + kind.typeName() + "'."));
            mask |= def.bit();
        }
        return new SelectClause(mask, members);
    }

    /** The $select value to repeat in a Location header for a fresh initial query. */
    public String render(ObjectKind kind) {
        StringBuilder sb = new StringBuilder();
        for (PropertyDef def : ObjectSchema.of(kind).properties()) {
            if ((mask & def.bit()) != 0) {
                sb.append(sb.isEmpty() ? "" : ",").append(def.name());
            }
        }
        if (members) {
            sb.append(sb.isEmpty() ? "" : ",").append("members");
        }
        return sb.toString();
    }
}
