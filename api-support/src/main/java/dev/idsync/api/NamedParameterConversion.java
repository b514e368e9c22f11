package dev.idsync.api;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Function;

/**
 * Numbers and booleans in query, path and header parameters: a value that does not parse is 400 naming the
 * parameter ({@code size: not an integer}), where JAX-RS would answer a bare 404 for a query parameter that
 * does not convert. Ranges are the endpoints' Bean Validation constraints (422).
 */
@Provider
public class NamedParameterConversion implements ParamConverterProvider {

    private static final Map<Class<?>, Function<String, ?>> PARSERS = Map.of(
            int.class, Integer::valueOf, Integer.class, Integer::valueOf,
            long.class, Long::valueOf, Long.class, Long::valueOf,
            boolean.class, NamedParameterConversion::bool, Boolean.class, NamedParameterConversion::bool);
    private static final Map<Class<?>, String> EXPECTED = Map.of(
            int.class, "an integer", Integer.class, "an integer", long.class, "an integer", Long.class, "an integer",
            boolean.class, "true or false", Boolean.class, "true or false");

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        Function<String, ?> parser = PARSERS.get(rawType);
        String name = nameIn(annotations);
        if (parser == null || name == null) {
            return null;
        }
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    return (T) parser.apply(value.trim());
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest(name, "not " + EXPECTED.get(rawType) + ": '" + value + "'");
                }
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    private static String nameIn(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return query.value();
            }
            if (annotation instanceof PathParam path) {
                return path.value();
            }
            if (annotation instanceof HeaderParam header) {
                return header.value();
            }
        }
        return null;
    }

    private static Boolean bool(String value) {
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(value);
        };
    }
}
