package dev.idsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSchemasTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasItsDraft202012Schema(EventType type) throws Exception {
        assertEquals("schemas/" + type.type() + ".json", EventSchemas.resourcePath(type));
        try (InputStream in = EventSchemas.open(type)) {
            JsonNode schema = EventJson.mapper().readTree(in);
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText());
            assertEquals(type.type(), schema.path("title").asText());
            assertTrue(schema.path("description").asText().contains(type.topic()));
        }
    }

    @Test
    void rejectsABodyWithoutTenantId() {
        ObjectNode body = body(EventType.USER_UPSERTED);
        body.remove("tenantId");
        assertRejected(EventType.USER_UPSERTED, body, "tenantId");
    }

    @Test
    void rejectsARemovalWithAnUnknownReason() {
        ObjectNode body = body(EventType.USER_REMOVED);
        ((ObjectNode) body.get("data")).put("reason", "purged");
        assertRejected(EventType.USER_REMOVED, body, "reason");
    }

    @Test
    void rejectsAnUnknownMemberTypeAndAMissingMember() {
        ObjectNode unknownType = body(EventType.MEMBERSHIP_ADDED);
        ((ObjectNode) unknownType.get("data")).put("memberType", "application");
        assertRejected(EventType.MEMBERSHIP_ADDED, unknownType, "memberType");

        ObjectNode noMember = body(EventType.MEMBERSHIP_ADDED);
        ((ObjectNode) noMember.get("data")).remove("memberId");
        assertRejected(EventType.MEMBERSHIP_ADDED, noMember, "memberId");
    }

    @Test
    void rejectsObservedAtThatIsNotAUtcDateTime() {
        ObjectNode offset = body(EventType.GROUP_UPSERTED);
        offset.put("observedAt", "2025-03-04T10:15:27+01:00");
        assertRejected(EventType.GROUP_UPSERTED, offset, "observedAt");

        // Passes the pattern, so this one is caught by the date-time format assertion.
        ObjectNode impossible = body(EventType.GROUP_UPSERTED);
        impossible.put("observedAt", "2025-13-40T09:15:27Z");
        assertRejected(EventType.GROUP_UPSERTED, impossible, "observedAt");
    }

    @Test
    void requiresRunIdButAllowsNullOutsideARun() {
        ObjectNode nullRun = body(EventType.ROLE_ASSIGNMENT_GRANTED);
        nullRun.putNull("runId");
        assertEquals(List.of(), SchemaValidation.validate(EventType.ROLE_ASSIGNMENT_GRANTED, nullRun.toString()));

        ObjectNode noRun = body(EventType.ROLE_ASSIGNMENT_GRANTED);
        noRun.remove("runId");
        assertRejected(EventType.ROLE_ASSIGNMENT_GRANTED, noRun, "runId");
    }

    @Test
    void upsertAttributesAndTheEnvelopeAcceptAdditiveFields() {
        ObjectNode newAttribute = body(EventType.USER_UPSERTED);
        ((ObjectNode) newAttribute.get("data")).put("employeeType", "Contractor");
        ((ObjectNode) newAttribute.get("data")).putNull("faxNumber");
        assertEquals(List.of(), SchemaValidation.validate(EventType.USER_UPSERTED, newAttribute.toString()));

        // Within v1 a producer may add an optional field (CONTRACT.md: additive changes only); a consumer
        // validating with this schema must keep accepting such newer events.
        ObjectNode additiveField = body(EventType.USER_UPSERTED);
        additiveField.put("tenantName", "Contoso");
        assertEquals(List.of(), SchemaValidation.validate(EventType.USER_UPSERTED, additiveField.toString()));
        ObjectNode additiveDataField = body(EventType.USER_REMOVED);
        ((ObjectNode) additiveDataField.get("data")).put("deletedBy", "admin");
        assertEquals(List.of(), SchemaValidation.validate(EventType.USER_REMOVED, additiveDataField.toString()));
    }

    @Test
    void aRoleGrantMayCarryItsOptionalPathAndActorAndOlderGrantsWithoutThemStayValid() {
        RoleAssignmentGranted grant = new RoleAssignmentGranted("t-1", "u-1", "run-1", 0, java.time.Instant.parse("2026-12-01T10:00:00Z"),
                new RoleAssignment("HR", AssignmentSource.FEDERATED, "g-top", null, List.of("g-top", "g-berlin"), "admin@contoso"));
        String json = EventJson.tree(grant).toString();
        assertEquals(List.of(), SchemaValidation.validate(EventType.ROLE_ASSIGNMENT_GRANTED, json));
        assertEquals(grant, EventJson.mapper().convertValue(EventJson.tree(grant), RoleAssignmentGranted.class));
        assertFalse(EventJson.tree(Fixtures.sample(EventType.ROLE_ASSIGNMENT_GRANTED)).get("data").has("path"),
                "absent, not null, when there is none");

        ObjectNode emptyPath = body(EventType.ROLE_ASSIGNMENT_GRANTED);
        ((ObjectNode) emptyPath.get("data")).putArray("path");
        assertRejected(EventType.ROLE_ASSIGNMENT_GRANTED, emptyPath, "path");
    }

    @Test
    void rejectsWrongTypesInTypedData() {
        ObjectNode negativeCount = body(EventType.SYNC_RUN_COMPLETED);
        ((ObjectNode) negativeCount.get("data").get("counts")).put("pages", -1);
        assertRejected(EventType.SYNC_RUN_COMPLETED, negativeCount, "pages");

        ObjectNode badLevel = body(EventType.ROLE_ASSIGNMENT_GRANTED);
        ((ObjectNode) badLevel.get("data")).put("accessLevel", "admin");
        assertRejected(EventType.ROLE_ASSIGNMENT_GRANTED, badLevel, "accessLevel");

        ObjectNode noStatus = body(EventType.PROFILE_UPDATE_REJECTED);
        ((ObjectNode) noStatus.get("data")).remove("status");
        assertRejected(EventType.PROFILE_UPDATE_REJECTED, noStatus, "status");
    }

    private static ObjectNode body(EventType type) {
        ObjectNode body = EventJson.tree(Fixtures.sample(type));
        assertEquals(List.of(), SchemaValidation.validate(type, body.toString()), "the unmodified sample is valid");
        return body;
    }

    private static void assertRejected(EventType type, JsonNode body, String mentioned) {
        List<Error> errors = SchemaValidation.validate(type, body.toString());
        assertFalse(errors.isEmpty(), () -> "schema accepted " + body);
        assertTrue(errors.stream().anyMatch(e -> e.toString().contains(mentioned)),
                () -> "no error mentions " + mentioned + ": " + errors);
    }
}
