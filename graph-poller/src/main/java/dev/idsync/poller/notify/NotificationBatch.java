package dev.idsync.poller.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.api.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A notification POST checked against Graph's schema before anything is believed: {@code {"value": [...]}} with
 * 1..max items, each with the fields this kind of notification must carry, as strings of bounded length. A
 * violation is a 400 naming the field ({@code value[3].resource}). Only what is needed survives: which
 * subscription, which resource type or lifecycle event, and the presented clientState and tenant.
 */
record NotificationBatch(List<Item> items) {

    /** One checked notification; {@code resource} is {@code users}/{@code groups} (change) or null (lifecycle). */
    record Item(String subscriptionId, String clientState, String tenantId, String resource, String lifecycleEvent) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CHANGE_TYPES = Set.of("created", "updated", "deleted");
    static final Set<String> LIFECYCLE_EVENTS = Set.of("reauthorizationRequired", "subscriptionRemoved", "missed");
    /** Graph's resource paths for users and groups: {@code Users/<id>}, {@code users/<id>}, {@code Groups/<id>}. */
    private static final Pattern RESOURCE = Pattern.compile("(?i)/?(users|groups)(/[A-Za-z0-9\\-{}()'.@_]{1,200})?");
    private static final int MAX_TEXT = 1024;

    static NotificationBatch parse(byte[] body, boolean lifecycle, int maxItems) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("body", "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("body", "unreadable");
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("body", "must be a JSON object with 'value'");
        }
        JsonNode value = root.get("value");
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw ProblemException.badRequest("value", "must be a non-empty array of notifications");
        }
        if (value.size() > maxItems) {
            throw ProblemException.badRequest("value", "at most " + maxItems + " notifications, got " + value.size());
        }
        List<Item> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String at = "value[" + i + "]";
            if (!item.isObject()) {
                throw ProblemException.badRequest(at, "must be an object");
            }
            String subscriptionId = text(item, at, "subscriptionId");
            String clientState = text(item, at, "clientState");
            String tenantId = text(item, at, "tenantId");
            if (lifecycle) {
                String event = text(item, at, "lifecycleEvent");
                if (!LIFECYCLE_EVENTS.contains(event)) {
                    throw ProblemException.badRequest(at + ".lifecycleEvent", "'" + event + "' is not one of "
                            + LIFECYCLE_EVENTS);
                }
                items.add(new Item(subscriptionId, clientState, tenantId, null, event));
            } else {
                String changeType = text(item, at, "changeType");
                for (String type : changeType.split(",")) {
                    if (!CHANGE_TYPES.contains(type.trim())) {
                        throw ProblemException.badRequest(at + ".changeType", "'" + type + "' is not one of " + CHANGE_TYPES);
                    }
                }
                String resource = text(item, at, "resource");
                var m = RESOURCE.matcher(resource);
                if (!m.matches()) {
                    throw ProblemException.badRequest(at + ".resource", "not a users or groups resource");
                }
                items.add(new Item(subscriptionId, clientState, tenantId, m.group(1).toLowerCase(Locale.ROOT), null));
            }
        }
        return new NotificationBatch(List.copyOf(items));
    }

    private static String text(JsonNode item, String at, String field) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            throw ProblemException.badRequest(at + "." + field, "is required");
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest(at + "." + field, "must be a string");
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw ProblemException.badRequest(at + "." + field, "must have 1 to " + MAX_TEXT + " characters");
        }
        return text;
    }
}
