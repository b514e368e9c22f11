package dev.idsync.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The JSON mapper of idsync's HTTP APIs only: request bodies are read strictly, so a typo'd or unknown
 * field, a string where a number belongs, {@code 1.5} for an integer, {@code null} for a primitive or
 * trailing garbage is refused as 400 naming the field (ProblemMappers) instead of being silently dropped or
 * coerced. Only JAX-RS uses this resolver: the application's own {@link ObjectMapper} (Kafka events,
 * Graph responses, stored JSON) keeps Quarkus' lenient defaults, where an additive field must not break a
 * reader. Writing responses is unaffected by these settings.
 */
@Provider
public class StrictRequestBodies implements ContextResolver<ObjectMapper> {

    private final ObjectMapper strict;

    StrictRequestBodies(ObjectMapper application) {
        this.strict = strict(application);
    }

    static ObjectMapper strict(ObjectMapper application) {
        ObjectMapper mapper = application.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return strict;
    }
}
