package dev.idsync.graph.delta;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a delta response body into typed items while keeping every item's raw map. */
final class DeltaPageParser {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper mapper;

    DeltaPageParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * One pass from bytes to maps: the body is read straight into {@code Map}/{@code List} values (the same
     * types a tree converted to a map has), not into a tree that is then converted item by item: a page of
     * a big tenant carries hundreds of member links, and the poller reads a million of them in an initial sync.
     */
    DeltaPage parse(URI requestedUrl, byte[] body, String dateHeader, int attempts) throws IOException {
        Map<String, Object> root = mapper.readValue(body, MAP);
        if (!(root.get("value") instanceof List<?> value)) {
            throw new IOException("delta response without a 'value' array");
        }
        List<DeltaItem> items = new ArrayList<>(value.size());
        for (Object element : value) {
            if (!(element instanceof Map<?, ?> raw)) {
                throw new IOException("delta response with a 'value' entry that is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) raw;
            items.add(item(object));
        }
        return new DeltaPage(requestedUrl, Collections.unmodifiableList(items), link(root, "@odata.nextLink"),
                link(root, "@odata.deltaLink"), parseDate(dateHeader), dateHeader, attempts);
    }

    @SuppressWarnings("unchecked")
    private static DeltaItem item(Map<String, Object> raw) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            // Annotations (@odata.type, @removed, members@delta, ...) are not properties.
            if (!e.getKey().equals("id") && !e.getKey().contains("@")) {
                properties.put(e.getKey(), e.getValue());
            }
        }
        Optional<RemovalReason> removed = removal(raw.get("@removed"));
        List<MemberDelta> members = new ArrayList<>();
        if (raw.get("members@delta") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> m) {
                    Map<String, Object> member = (Map<String, Object>) m;
                    members.add(new MemberDelta((String) member.get("id"), (String) member.get("@odata.type"),
                            removal(member.get("@removed")), Collections.unmodifiableMap(member)));
                }
            }
        }
        return new DeltaItem((String) raw.get("id"), Collections.unmodifiableMap(properties), removed,
                List.copyOf(members), Collections.unmodifiableMap(raw));
    }

    private static Optional<RemovalReason> removal(Object annotation) {
        if (annotation instanceof Map<?, ?> m) {
            return Optional.of(RemovalReason.of(m.get("reason")));
        }
        return Optional.empty();
    }

    private static Optional<URI> link(Map<String, Object> root, String field) {
        return root.get(field) instanceof String link ? Optional.of(URI.create(link)) : Optional.empty();
    }

    static Optional<Instant> parseDate(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
