package dev.idsync.emulator.directory;

import java.util.List;
import java.util.Objects;

/** Converts JSON-shaped values (as Jackson hands them over) into the stored representation of a property. */
public final class PropertyValues {

    private PropertyValues() {
    }

    /**
     * @return the stored form, or throws {@link IllegalArgumentException} when the value has the wrong shape
     */
    public static Object coerce(PropertyDef property, Object value) {
        if (value == null) {
            return null;
        }
        return switch (property.type()) {
            case STRING, DATE_TIME -> {
                if (!(value instanceof String s)) {
                    throw new IllegalArgumentException(property.name());
                }
                yield s;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw new IllegalArgumentException(property.name());
                }
                yield b;
            }
            case STRING_COLLECTION -> {
                if (!(value instanceof List<?> list)) {
                    throw new IllegalArgumentException(property.name());
                }
                for (Object element : list) {
                    if (!(element instanceof String)) {
                        throw new IllegalArgumentException(property.name());
                    }
                }
                @SuppressWarnings("unchecked")
                List<String> strings = (List<String>) list;
                yield List.copyOf(strings);
            }
        };
    }

    public static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
