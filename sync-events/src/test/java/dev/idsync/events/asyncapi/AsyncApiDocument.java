package dev.idsync.events.asyncapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.events.EventJson;
import dev.idsync.events.EventSchemas;
import dev.idsync.events.EventType;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.CloudEventHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes idsync's public topics as an AsyncAPI 3.0 document from the code that defines them, so the document
 * cannot drift: the topics and their compaction from {@link Topics}, the event types per topic from
 * {@link EventType}, each message's payload as a reference to its JSON Schema file ({@link EventSchemas}), and
 * each message's key and summary from that schema's own description. What the code does not hold (who
 * produces a topic) is named here, and a public topic without it fails the generation.
 */
public final class AsyncApiDocument {

    /** Internal topics: not part of the public contract, so not in the document (CONTRACT.md "Topics"). */
    static final List<String> INTERNAL = List.of(Topics.GRAPH_OBSERVATIONS, Topics.DRY_RUN);

    private static final Map<String, String> PRODUCERS = Map.of(
            Topics.USERS, "delta-processor",
            Topics.GROUPS, "delta-processor",
            Topics.MEMBERSHIPS, "delta-processor",
            Topics.DIRECTORY_ROLES, "delta-processor",
            Topics.SYNC_RUNS, "graph-poller (syncrun.*), delta-processor (deletions.decided)",
            Topics.ROLE_ASSIGNMENTS, "role-mapper",
            Topics.PROFILE_CHANGES, "profile-writer");

    private static final Pattern KEY = Pattern.compile("key (<[^ ]+>)\\.");

    private final StringBuilder out = new StringBuilder();

    private AsyncApiDocument() {
    }

    /** The public topics in {@link Topics#ALL}'s order. */
    static List<String> publicTopics() {
        return Topics.ALL.stream().filter(topic -> !INTERNAL.contains(topic)).toList();
    }

    public static String generate() {
        return new AsyncApiDocument().write();
    }

    private String write() {
        line(0, "# Generated from sync-events (Topics, EventType, schemas/*.json) by AsyncApiDocumentTest: do not edit.");
        line(0, "# Regenerate: ./mvnw -B verify -pl sync-events -Dtest=AsyncApiDocumentTest -Didsync.contracts.write=true");
        line(0, "asyncapi: 3.0.0");
        line(0, "info:");
        line(1, "title: idsync public topics");
        line(1, "version: '1'");
        line(1, "description: " + quoted("What idsync decided about a directory, as Kafka topics (docs/CONTRACT.md, "
                + "\"Topics\"). Every record is a CloudEvent 1.0 in Kafka binary mode: the attributes are the `ce_*` "
                + "headers, the value is the JSON body its JSON Schema (draft 2020-12) describes. Version rule: the "
                + "topic's and the type's version suffix are the compatibility boundary; within a version only "
                + "additive changes are made (new optional fields, new event types a consumer must skip), a "
                + "breaking change (key, cleanup policy, meaning, a removed, renamed or retyped field, a new enum "
                + "value) gets a new topic or type version (sync-events README, \"Compatibility rule\"). Delivery is at-least-once; `ce_id` is stable for the same change, so consumers "
                + "deduplicate on it. A compacted topic read from offset 0 to its end gives each key's current "
                + "state; a removal is a record of its own, never a tombstone."));
        line(0, "defaultContentType: application/json");
        line(0, "servers:");
        line(1, "local:");
        line(2, "host: localhost:19092");
        line(2, "protocol: kafka");
        line(2, "description: The local stack's broker (deploy/local); production brokers are the operator's.");
        channels();
        operations();
        components();
        return out.toString();
    }

    private void channels() {
        line(0, "channels:");
        for (String topic : publicTopics()) {
            String producer = PRODUCERS.get(topic);
            if (producer == null) {
                throw new IllegalStateException("public topic " + topic + " has no producer in AsyncApiDocument.PRODUCERS");
            }
            line(1, channelId(topic) + ":");
            line(2, "address: " + topic);
            line(2, "description: " + quoted("Produced by " + producer + ". "
                    + (Topics.compacted(topic) ? "cleanup.policy=compact: the last record per key is the current state."
                            : "cleanup.policy=delete: a history, not a state.")));
            line(2, "messages:");
            for (EventType type : typesOf(topic)) {
                line(3, messageId(type) + ":");
                line(4, "$ref: '#/components/messages/" + messageId(type) + "'");
            }
            line(2, "bindings:");
            line(3, "kafka:");
            line(4, "topic: " + topic);
            line(4, "topicConfiguration:");
            line(5, "cleanup.policy:");
            line(6, "- " + (Topics.compacted(topic) ? "compact" : "delete"));
            line(4, "bindingVersion: 0.5.0");
        }
    }

    private void operations() {
        line(0, "operations:");
        for (String topic : publicTopics()) {
            line(1, "consume" + capitalized(channelId(topic)) + ":");
            line(2, "action: receive");
            line(2, "summary: " + quoted("Subscribe to " + topic));
            line(2, "channel:");
            line(3, "$ref: '#/channels/" + channelId(topic) + "'");
            line(2, "messages:");
            for (EventType type : typesOf(topic)) {
                line(3, "- $ref: '#/channels/" + channelId(topic) + "/messages/" + messageId(type) + "'");
            }
        }
    }

    private void components() {
        line(0, "components:");
        line(1, "messages:");
        for (String topic : publicTopics()) {
            for (EventType type : typesOf(topic)) {
                JsonNode schema = schemaOf(type);
                String description = schema.path("description").asText();
                Matcher key = KEY.matcher(description);
                if (!key.find()) {
                    throw new IllegalStateException(EventSchemas.resourcePath(type) + "'s description names no key");
                }
                line(2, messageId(type) + ":");
                line(3, "name: " + type.type());
                line(3, "title: " + type.type());
                line(3, "summary: " + quoted(description.substring(0, description.indexOf('.') + 1)));
                line(3, "contentType: application/json");
                line(3, "headers:");
                line(4, "allOf:");
                line(5, "- $ref: '#/components/schemas/CloudEventHeaders'");
                line(5, "- type: object");
                line(6, "properties:");
                line(7, CloudEventHeaders.TYPE + ":");
                line(8, "const: " + type.type());
                line(3, "payload:");
                line(4, "schemaFormat: application/schema+json;version=draft-2020-12");
                line(4, "schema:");
                line(5, "$ref: './" + EventSchemas.resourcePath(type) + "'");
                line(3, "bindings:");
                line(4, "kafka:");
                line(5, "key:");
                line(6, "type: string");
                line(6, "description: " + quoted(key.group(1)));
                line(5, "bindingVersion: 0.5.0");
            }
        }
        line(1, "schemas:");
        line(2, "CloudEventHeaders:");
        line(3, "type: object");
        line(3, "description: CloudEvents 1.0 attributes as Kafka binary-mode headers (UTF-8 strings).");
        line(3, "required:");
        for (String header : List.of(CloudEventHeaders.ID, CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE,
                CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.TIME, CloudEventHeaders.SUBJECT,
                CloudEventHeaders.CONTENT_TYPE)) {
            line(4, "- " + header);
        }
        line(3, "properties:");
        header(CloudEventHeaders.ID, "stable for the same change (decisions of delta-processor have ids of their "
                + "own): deduplicate on it");
        header(CloudEventHeaders.TYPE, "the event type, e.g. dev.idsync.user.upserted.v1; a consumer skips types it "
                + "does not know");
        header(CloudEventHeaders.SOURCE, "the producing service, e.g. urn:idsync:delta-processor");
        line(4, CloudEventHeaders.SPEC_VERSION + ":");
        line(5, "const: '1.0'");
        header(CloudEventHeaders.TIME, "observedAt of the body (RFC 3339)");
        header(CloudEventHeaders.SUBJECT, "objectId of the body");
        line(4, CloudEventHeaders.CONTENT_TYPE + ":");
        line(5, "const: application/json");
    }

    private void header(String name, String description) {
        line(4, name + ":");
        line(5, "type: string");
        line(5, "description: " + quoted(description));
    }

    static List<EventType> typesOf(String topic) {
        return Arrays.stream(EventType.values()).filter(type -> type.topic().equals(topic)).toList();
    }

    private static JsonNode schemaOf(EventType type) {
        try (InputStream in = EventSchemas.open(type)) {
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code idsync.directory.users.v2} → {@code directoryUsersV2}. */
    static String channelId(String topic) {
        String[] parts = topic.substring("idsync.".length()).split("[.-]");
        StringBuilder id = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            id.append(capitalized(parts[i]));
        }
        return id.toString();
    }

    /** {@code dev.idsync.user.upserted.v1} → {@code userUpsertedV1}. */
    static String messageId(EventType type) {
        return channelId("idsync." + type.type().substring("dev.idsync.".length()));
    }

    private static String capitalized(String part) {
        return part.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void line(int indent, String text) {
        out.append("  ".repeat(indent)).append(text).append('\n');
    }
}
