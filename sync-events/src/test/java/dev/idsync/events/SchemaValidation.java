package dev.idsync.events;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Validates bodies against the bundled schemas with networknt json-schema-validator 3.x. */
public final class SchemaValidation {

    // Draft 2020-12 treats "format" as an annotation only; idsync's schemas mean it (observedAt is a
    // real date-time), so assertions are switched on.
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private static final Map<EventType, Schema> SCHEMAS = new EnumMap<>(EventType.class);

    private SchemaValidation() {
    }

    public static synchronized Schema schema(EventType type) {
        return SCHEMAS.computeIfAbsent(type, t -> {
            try (InputStream in = EventSchemas.open(t)) {
                return REGISTRY.getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static List<Error> validate(EventType type, byte[] body) {
        return validate(type, new String(body, StandardCharsets.UTF_8));
    }

    public static List<Error> validate(EventType type, String body) {
        return schema(type).validate(body, InputFormat.JSON);
    }
}
