package dev.idsync.events.asyncapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.idsync.events.EventSchemas;
import dev.idsync.events.EventType;
import dev.idsync.events.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document of the public topics ({@code src/main/resources/asyncapi.yaml}, next to the JSON
 * Schemas) is the one {@link AsyncApiDocument} generates from the code. With {@code -Didsync.contracts.write=true}
 * the test rewrites the file instead of comparing (the same switch as the services' OpenAPI documents).
 */
class AsyncApiDocumentTest {

    static final Path CHECKED_IN = Path.of("src/main/resources/asyncapi.yaml");
    static final String WRITE_PROPERTY = "idsync.contracts.write";

    private final String document = AsyncApiDocument.generate();

    @Test
    void the_checked_in_asyncapi_document_is_the_one_the_code_generates() throws IOException {
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(CHECKED_IN, document, StandardCharsets.UTF_8);
        }
        String checkedIn = Files.isRegularFile(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";
        assertEquals(document.replace("\r\n", "\n").strip(), checkedIn.replace("\r\n", "\n").strip(),
                "sync-events/" + CHECKED_IN + " differs from the topics, event types and schemas in the code; if the "
                        + "change is intended, regenerate and commit it: ./mvnw -B verify -pl sync-events "
                        + "-Dtest=AsyncApiDocumentTest -D" + WRITE_PROPERTY + "=true");
    }

    @Test
    void every_public_topic_is_a_channel_with_its_cleanup_policy_and_no_internal_topic_is() {
        for (String topic : AsyncApiDocument.publicTopics()) {
            String channel = section(document, "  " + AsyncApiDocument.channelId(topic) + ":\n");
            assertTrue(channel.contains("address: " + topic + "\n"), topic);
            assertTrue(channel.contains("- " + (Topics.compacted(topic) ? "compact" : "delete") + "\n"), topic);
        }
        for (String internal : AsyncApiDocument.INTERNAL) {
            assertFalse(document.contains(internal), internal + " is internal and must not be in the public document");
        }
        assertEquals(Topics.ALL.size() - AsyncApiDocument.INTERNAL.size(), AsyncApiDocument.publicTopics().size());
    }

    @Test
    void every_event_type_is_a_message_of_its_topic_whose_payload_is_its_schema_file() {
        for (EventType type : EventType.values()) {
            assertTrue(AsyncApiDocument.publicTopics().contains(type.topic()), type + " is published on a public topic");
            String channel = section(document, "  " + AsyncApiDocument.channelId(type.topic()) + ":\n");
            assertTrue(channel.contains("$ref: '#/components/messages/" + AsyncApiDocument.messageId(type) + "'"), type.type());
            String message = section(document, "    " + AsyncApiDocument.messageId(type) + ":\n");
            assertTrue(message.contains("const: " + type.type() + "\n"), type.type() + " pins ce_type");
            assertTrue(message.contains("$ref: './" + EventSchemas.resourcePath(type) + "'"), type.type());
            assertTrue(message.contains("description: \"<tenantId>:<objectId>"), type.type() + " names its key");
            assertNotNull(getClass().getClassLoader().getResource(EventSchemas.resourcePath(type)), type.type());
            assertTrue(Files.isRegularFile(CHECKED_IN.resolveSibling(EventSchemas.resourcePath(type))),
                    "the reference resolves next to the document: " + EventSchemas.resourcePath(type));
        }
    }

    @Test
    void the_cloudevents_headers_are_required_of_every_message() {
        String headers = section(document, "    CloudEventHeaders:\n");
        for (String header : List.of("ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time", "ce_subject", "content-type")) {
            assertTrue(headers.contains("    - " + header + "\n"), header);
        }
    }

    /** The text from the line {@code start} up to the next line at the same or a lower indentation. */
    private static String section(String text, String start) {
        int at = text.indexOf("\n" + start);
        assertTrue(at >= 0, "document has no line " + start.strip());
        int from = at + 1;
        int indent = start.length() - start.stripLeading().length();
        int end = from + start.length();
        for (String line : text.substring(end).split("\n", -1)) {
            int lineIndent = line.length() - line.stripLeading().length();
            if (!line.isBlank() && lineIndent <= indent) {
                break;
            }
            end += line.length() + 1;
        }
        return text.substring(from, Math.min(end, text.length()));
    }
}
