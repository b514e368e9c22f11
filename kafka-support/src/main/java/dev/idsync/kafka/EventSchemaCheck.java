package dev.idsync.kafka;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.idsync.events.EventSchemas;
import dev.idsync.events.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks an event body against its type's JSON Schema (draft 2020-12, bundled in sync-events). The schemas
 * are the reference for what a body may be (DESIGN.md invariant 9); the record binding alone lets through
 * what the schema forbids (an empty tenant id, a negative epoch, an {@code observedAt} that is no UTC
 * instant), which would otherwise reach a store. Compiled once per type; thread-safe.
 */
public final class EventSchemaCheck {

    // Draft 2020-12 treats "format" as an annotation only; idsync's schemas mean it (observedAt is a real
    // date-time), so assertions are switched on, as in sync-events' own schema tests.
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private final Map<EventType, Schema> schemas = new ConcurrentHashMap<>();

    /** What the schema says is wrong (at most three findings), or empty when the body is valid. */
    public Optional<String> violation(EventType type, byte[] body) {
        List<Error> errors = schemas.computeIfAbsent(type, EventSchemaCheck::load)
                .validate(new String(body, StandardCharsets.UTF_8), InputFormat.JSON);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(errors.stream().limit(3).map(Error::toString).collect(Collectors.joining("; ")));
    }

    private static Schema load(EventType type) {
        try (InputStream in = EventSchemas.open(type)) {
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
