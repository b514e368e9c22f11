package dev.idsync.emulator.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectSchema;
import dev.idsync.emulator.directory.PropertyDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes directory objects the way Graph serialises them, straight to a streaming generator. */
public final class DirectoryObjectJson {

    public static final JsonFactory JSON = new JsonFactory();

    private DirectoryObjectJson() {
    }

    /**
     * Writes the id and the selected properties of an object (without the surrounding braces).
     *
     * @param mask     properties to write when they have a value
     * @param nullMask properties to write even when null: Graph's full representation writes every selected
     *                 property, {@code null} where it is empty, and a change to null must reach the client
     */
    public static void writeProperties(JsonGenerator g, DirectoryObject object, long mask, long nullMask) {
        try {
            g.writeStringField("id", object.id());
            for (PropertyDef def : ObjectSchema.of(object.kind()).properties()) {
                if ((mask & def.bit()) == 0) {
                    continue;
                }
                Object value = object.value(def);
                if (value == null && (nullMask & def.bit()) == 0) {
                    continue;
                }
                g.writeFieldName(def.name());
                writeValue(g, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                g.writeString(element.toString());
            }
            g.writeEndArray();
        } else {
            g.writeString(value.toString());
        }
    }

    /** A member reference as in {@code members@delta} and in members/memberOf lists. */
    public static void writeReference(JsonGenerator g, DirectoryObject member, boolean removed) {
        try {
            g.writeStartObject();
            g.writeStringField("@odata.type", member.kind().odataType());
            g.writeStringField("id", member.id());
            if (removed) {
                g.writeObjectFieldStart("@removed");
                g.writeStringField("reason", "deleted");
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
