package dev.idsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventJsonTest {

    @Test
    void nullAttributeInAnUpsertSurvivesTheRoundTrip() throws Exception {
        UserUpserted event = (UserUpserted) Fixtures.sample(EventType.USER_UPSERTED);
        byte[] body = EventJson.write(event);

        JsonNode data = EventJson.mapper().readTree(body).get("data");
        assertTrue(data.has("mobilePhone") && data.get("mobilePhone").isNull(), data::toString);

        UserUpserted read = (UserUpserted) EventJson.read(EventType.USER_UPSERTED, body);
        assertTrue(read.data().containsKey("mobilePhone"), "a cleared attribute must not vanish");
        assertEquals(null, read.data().get("mobilePhone"));
        assertEquals(event, read);
    }

    @Test
    void nullsInsideProfileMapsSurviveButNullTypedFieldsAreOmitted() throws Exception {
        ProfileUpdated updated = (ProfileUpdated) Fixtures.sample(EventType.PROFILE_UPDATED);
        JsonNode before = EventJson.tree(updated).get("data").get("before");
        assertTrue(before.has("mobilePhone") && before.get("mobilePhone").isNull(), before::toString);

        JsonNode revoked = EventJson.tree(Fixtures.sample(EventType.ROLE_ASSIGNMENT_REVOKED));
        assertTrue(revoked.get("runId").isNull(), "envelope fields are always present");
        assertFalse(revoked.get("data").has("groupId"), revoked::toString);
        assertFalse(revoked.get("data").has("accessLevel"), revoked::toString);

        JsonNode completed = EventJson.tree(Fixtures.sample(EventType.SYNC_RUN_COMPLETED));
        assertFalse(completed.get("data").has("reason"), completed::toString);
    }

    @Test
    void writesEnumsAndInstantsInTheirContractForm() {
        String removed = new String(EventJson.write(Fixtures.sample(EventType.USER_REMOVED)), StandardCharsets.UTF_8);
        assertTrue(removed.contains("\"reason\":\"softDeleted\""), removed);
        assertTrue(removed.contains("\"observedAt\":\"2025-03-04T09:15:27Z\""), removed);
        String member = new String(EventJson.write(Fixtures.sample(EventType.DIRECTORY_ROLE_MEMBER_REMOVED)),
                StandardCharsets.UTF_8);
        assertTrue(member.contains("\"memberType\":\"servicePrincipal\""), member);
        String run = new String(EventJson.write(Fixtures.sample(EventType.SYNC_RUN_FAILED)), StandardCharsets.UTF_8);
        assertTrue(run.contains("\"mode\":\"dryRun\""), run);
    }

    @Test
    void ignoresPropertiesAddedByANewerProducer() {
        ObjectNode body = EventJson.tree(Fixtures.sample(EventType.MEMBERSHIP_ADDED));
        body.put("traceId", "00-abc-01");
        ((ObjectNode) body.get("data")).put("addedBy", "sync");
        SyncEvent read = EventJson.read(EventType.MEMBERSHIP_ADDED, body.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(Fixtures.sample(EventType.MEMBERSHIP_ADDED), read);
    }

    @Test
    void rejectsBodiesThatBreakTheContract() {
        ObjectNode unknownReason = EventJson.tree(Fixtures.sample(EventType.GROUP_REMOVED));
        ((ObjectNode) unknownReason.get("data")).put("reason", "purged");
        assertThrows(UncheckedIOException.class, () -> EventJson.read(EventType.GROUP_REMOVED, bytes(unknownReason)));

        ObjectNode noTenant = EventJson.tree(Fixtures.sample(EventType.GROUP_REMOVED));
        noTenant.remove("tenantId");
        assertThrows(UncheckedIOException.class, () -> EventJson.read(EventType.GROUP_REMOVED, bytes(noTenant)));

        ObjectNode nullEpoch = EventJson.tree(Fixtures.sample(EventType.GROUP_REMOVED));
        nullEpoch.putNull("epoch");
        assertThrows(UncheckedIOException.class, () -> EventJson.read(EventType.GROUP_REMOVED, bytes(nullEpoch)));

        assertThrows(UncheckedIOException.class,
                () -> EventJson.read(EventType.GROUP_REMOVED, "not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void canonicalFormSortsKeysAtEveryDepth() throws Exception {
        JsonNode node = EventJson.mapper().readTree("{\"b\":1,\"a\":{\"d\":[{\"z\":1,\"y\":2}],\"c\":null}}");
        assertEquals("{\"a\":{\"c\":null,\"d\":[{\"y\":2,\"z\":1}]},\"b\":1}", EventJson.canonical(node));
    }

    @Test
    void recordsAreImmutableCopiesThatKeepNulls() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("displayName", "Before");
        attributes.put("mobilePhone", null);
        GroupUpserted event = new GroupUpserted(Fixtures.TENANT, Fixtures.GROUP, null, 0, Fixtures.OBSERVED, attributes);
        attributes.put("displayName", "After");
        assertEquals("Before", event.data().get("displayName"));
        assertThrows(UnsupportedOperationException.class, () -> event.data().put("x", 1));
        assertTrue(event.data().containsKey("mobilePhone"));
    }

    @Test
    void recordsRefuseInvalidEnvelopes() {
        assertThrows(IllegalArgumentException.class,
                () -> new UserUpserted(" ", Fixtures.USER, null, 0, Fixtures.OBSERVED, Map.of()));
        assertThrows(NullPointerException.class,
                () -> new UserUpserted(Fixtures.TENANT, null, null, 0, Fixtures.OBSERVED, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new UserUpserted(Fixtures.TENANT, Fixtures.USER, null, -1, Fixtures.OBSERVED, Map.of()));
        assertThrows(NullPointerException.class,
                () -> new UserUpserted(Fixtures.TENANT, Fixtures.USER, null, 0, null, Map.of()));
        assertThrows(NullPointerException.class,
                () -> new UserRemoved(Fixtures.TENANT, Fixtures.USER, null, 0, Fixtures.OBSERVED, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ProfileRejection("admin", "conflict", 42, null, Map.of()));
    }

    @Test
    void keyFollowsTheContract() {
        assertEquals(Fixtures.TENANT + ":" + Fixtures.GROUP + ":" + Fixtures.USER, Fixtures.sample(EventType.MEMBERSHIP_ADDED).key());
        assertEquals(Fixtures.TENANT + ":" + Fixtures.RUN, Fixtures.sample(EventType.SYNC_RUN_STARTED).key());
        assertEquals(Fixtures.TENANT + ":" + Fixtures.USER, Fixtures.sample(EventType.PROFILE_UPDATED).key());
        MembershipAdded added = (MembershipAdded) Fixtures.sample(EventType.MEMBERSHIP_ADDED);
        assertEquals(Fixtures.GROUP, added.groupId());
        assertEquals(Fixtures.USER, added.data().memberId());
    }

    @Test
    void collectionsInSyncRunsDefaultToEmpty() {
        SyncRun run = new SyncRun(SyncMode.DELTA, null, null, null);
        assertEquals(List.of(), run.resources());
        assertEquals(Map.of(), run.counts());
        assertEquals(List.of(), run.initialRounds());
    }

    @Test
    void initialRoundsOfARunAreWrittenOnlyWhenThereAreSomeAndValidate() {
        java.time.Instant at = java.time.Instant.parse("2026-12-01T10:00:00Z");
        SyncRunCompleted resynced = new SyncRunCompleted(Fixtures.TENANT, Fixtures.RUN, Fixtures.RUN, 4, at,
                new SyncRun(SyncMode.DELTA, List.of("users", "groups"), Map.of("resyncs", 1L), "expired",
                        List.of("users")));
        String json = new String(EventJson.write(resynced), StandardCharsets.UTF_8);
        assertEquals(List.of(), SchemaValidation.validate(EventType.SYNC_RUN_COMPLETED, json));
        assertEquals(resynced, EventJson.read(EventType.SYNC_RUN_COMPLETED, json.getBytes(StandardCharsets.UTF_8)));

        SyncRunCompleted plain = new SyncRunCompleted(Fixtures.TENANT, Fixtures.RUN, Fixtures.RUN, 4, at,
                new SyncRun(SyncMode.DELTA, List.of("users"), Map.of(), null));
        String before = new String(EventJson.write(plain), StandardCharsets.UTF_8);
        assertFalse(before.contains("initialRounds"), before); // events of older producers look the same
        assertEquals(plain, EventJson.read(EventType.SYNC_RUN_COMPLETED, before.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
