package dev.idsync.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One event of a user's history from the audit, as the user page shows it: <b>what Entra said</b> (an
 * observation: the internal layer), <b>what idsync decided</b> (the public topics), <b>who</b> changed
 * something (the actor: an admin's profile update or manual role, a deletion's approver) and <b>what</b>
 * changed, from the event's payload. An upsert's attributes are compared with what the earlier events of
 * the same layer said about the user, so a field shows {@code old → new} where it changed, {@code field:
 * value} where nothing earlier said it, and is left out where it stayed the same; a profile update has its
 * own before and after.
 */
@TemplateData
public record HistoryEntry(String occurredAt, String type, String source, String sourceClass, String who,
                           String runId, List<Change> changes, String summary) {

    static final String OBSERVATIONS = "idsync.graph.observations.v1";
    static final String DRY_RUN = "idsync.sync.dryrun.v1";
    private static final int MAX_VALUE = 120;

    /** One attribute: {@code old} is null when nothing earlier said it (then the page writes {@code field: value}). */
    @TemplateData
    public record Change(String field, String old, String value) {
        public boolean changed() {
            return old != null;
        }
    }

    /**
     * The history, newest first, from audit items in the audit's order (seq, oldest first): the order the
     * comparison with earlier events needs.
     */
    public static List<HistoryEntry> of(Iterable<JsonNode> itemsOldestFirst) {
        Map<String, Map<String, JsonNode>> known = new HashMap<>();
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode item : itemsOldestFirst) {
            entries.add(entry(item, known));
        }
        Collections.reverse(entries);
        return entries;
    }

    private static HistoryEntry entry(JsonNode item, Map<String, Map<String, JsonNode>> known) {
        String type = item.path("type").asText("");
        String shortType = type.replaceFirst("^dev\\.idsync\\.", "").replaceFirst("\\.v\\d+$", "");
        String topic = item.path("topic").asText("");
        boolean observation = "internal".equals(item.path("layer").asText()) || OBSERVATIONS.equals(topic);
        JsonNode data = item.path("payload").path("data");
        String actor = text(item.path("actor"));
        List<Change> changes = new ArrayList<>();
        String summary = null;
        String source;
        String sourceClass;
        if (DRY_RUN.equals(topic)) {
            source = "dry run (a plan, nothing changed)";
            sourceClass = "dryrun";
        } else if (observation) {
            source = "Entra said";
            sourceClass = "observation";
        } else if (actor != null) {
            source = "changed by " + actor;
            sourceClass = "change";
        } else {
            source = "idsync decided";
            sourceClass = "decision";
        }
        if (item.hasNonNull("payloadBase64")) {
            summary = "unreadable record (kept as bytes in the audit)";
        } else if (shortType.endsWith(".upserted") && data.isObject()) {
            String layerKey = (DRY_RUN.equals(topic) ? "dryrun" : observation ? "observed" : "decided") + ":"
                    + shortType;
            Map<String, JsonNode> before = known.computeIfAbsent(layerKey, k -> new HashMap<>());
            compare(before, data, !observation, changes);
            if (changes.isEmpty()) {
                summary = "no attribute changed (confirmed as it was)";
            }
        } else if (shortType.startsWith("profile.updated")) {
            Set<String> fields = new LinkedHashSet<>();
            data.path("before").fieldNames().forEachRemaining(fields::add);
            data.path("after").fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                changes.add(new Change(f, value(data.path("before").path(f)), value(data.path("after").path(f))));
            }
            summary = "confirmed by Entra (re-read after the update)";
        } else if (shortType.startsWith("profile.update-rejected")) {
            data.path("requested").fields().forEachRemaining(e -> changes.add(new Change(e.getKey(), null,
                    value(e.getValue()))));
            summary = "refused, nothing saved: " + data.path("status").asText() + " " + data.path("reason").asText()
                    + (data.hasNonNull("detail") ? " — " + data.path("detail").asText() : "");
        } else if (data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("actor") && !e.getKey().equals("decidedBy") && !e.getValue().isNull()) {
                    changes.add(new Change(e.getKey(), null, value(e.getValue())));
                }
            }
        }
        String who = actor != null ? actor : observation ? "Entra (Graph)" : DRY_RUN.equals(topic) ? "—" : "idsync";
        return new HistoryEntry(text(item.path("occurredAt")), shortType, source, sourceClass, who,
                text(item.path("runId")), List.copyOf(changes), summary);
    }

    /**
     * The attributes of an upsert against what the same layer said before. An observation holds what Graph
     * sent (an absent key: not sent, so not a change); a decision is the whole stored object, so a key gone
     * from it is a change to empty.
     */
    private static void compare(Map<String, JsonNode> before, JsonNode data, boolean wholeObject, List<Change> changes) {
        boolean first = before.isEmpty();
        Map<String, JsonNode> now = new LinkedHashMap<>();
        data.fields().forEachRemaining(e -> now.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> e : now.entrySet()) {
            JsonNode old = before.get(e.getKey());
            if (old == null) {
                changes.add(new Change(e.getKey(), null, value(e.getValue())));
            } else if (!Objects.equals(old, e.getValue())) {
                changes.add(new Change(e.getKey(), value(old), value(e.getValue())));
            }
        }
        if (wholeObject && !first) {
            for (Map.Entry<String, JsonNode> e : before.entrySet()) {
                if (!now.containsKey(e.getKey()) && !e.getValue().isNull()) {
                    changes.add(new Change(e.getKey(), value(e.getValue()), "(empty)"));
                }
            }
            before.clear();
        }
        before.putAll(now);
    }

    static String value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "(empty)";
        }
        String s = v.isValueNode() ? v.asText() : v.toString();
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) + "…" : s;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || n.asText().isBlank() ? null : n.asText();
    }
}
