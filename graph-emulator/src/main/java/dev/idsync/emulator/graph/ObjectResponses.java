package dev.idsync.emulator.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectSchema;
import dev.idsync.emulator.directory.PropertyDef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** JSON bodies of single objects and of paged directoryObject collections. */
final class ObjectResponses {

    private ObjectResponses() {
    }

    static byte[] entity(String baseUrl, DirectoryObject object, long mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = DirectoryObjectJson.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", baseUrl + "v1.0/$metadata#" + object.kind().entitySet() + "/$entity");
            // A GET returns the selected properties, nulls included, as Graph does.
            DirectoryObjectJson.writeProperties(g, object, mask, mask);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A page of a directoryObject collection (members, memberOf). Each object carries its {@code @odata.type}
     * and the properties named in {@code select} that its type has (default: displayName).
     */
    static byte[] collection(String baseUrl, String context, List<DirectoryObject> page, List<String> select,
                             String nextLink) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = DirectoryObjectJson.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", baseUrl + "v1.0/$metadata#" + context);
            if (nextLink != null) {
                g.writeStringField("@odata.nextLink", nextLink);
            }
            g.writeArrayFieldStart("value");
            for (DirectoryObject object : page) {
                g.writeStartObject();
                g.writeStringField("@odata.type", object.kind().odataType());
                long mask = 0;
                ObjectSchema schema = ObjectSchema.of(object.kind());
                for (String name : select) {
                    mask |= schema.find(name).map(PropertyDef::bit).orElse(0L);
                }
                DirectoryObjectJson.writeProperties(g, object, mask, mask);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
