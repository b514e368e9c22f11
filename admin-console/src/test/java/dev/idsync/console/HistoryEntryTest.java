package dev.idsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryEntryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An audit-log item as {@code GET /api/audit/events} returns it (seq order, payload = the published body). */
    private static JsonNode item(String type, String topic, String actor, String run, String at, String data)
            throws Exception {
        boolean internal = topic.equals("idsync.graph.observations.v1") || topic.equals("idsync.sync.dryrun.v1");
        return JSON.readTree("""
                {"seq": 1, "type": "%s", "topic": "%s", "layer": "%s", "tenantId": "t", "objectId": "u1",
                 "actor": %s, "runId": %s, "occurredAt": "%s",
                 "payload": {"tenantId": "t", "objectId": "u1", "runId": %s, "epoch": 1, "observedAt": "%s", "data": %s}}"""
                .formatted(type, topic, internal ? "internal" : "public", actor == null ? "null" : "\"" + actor + "\"",
                        run == null ? "null" : "\"" + run + "\"", at, run == null ? "null" : "\"" + run + "\"", at, data));
    }

    private static final String OBS = "idsync.graph.observations.v1";
    private static final String USERS = "idsync.directory.users.v2";

    @Test
    void upserts_show_what_entra_said_and_what_idsync_decided_with_old_to_new_against_the_earlier_events() throws Exception {
        List<HistoryEntry> history = HistoryEntry.of(List.of(
                item("dev.idsync.user.upserted.v1", OBS, null, "r1", "2026-12-01T10:00:00Z",
                        "{\"displayName\": \"Ada\", \"jobTitle\": \"Engineer\"}"),
                item("dev.idsync.user.upserted.v1", USERS, null, "r1", "2026-12-01T10:00:00Z",
                        "{\"displayName\": \"Ada\", \"jobTitle\": \"Engineer\", \"department\": \"R&D\"}"),
                // a delta: Graph sends only the changed attribute
                item("dev.idsync.user.upserted.v1", OBS, null, "r2", "2026-12-02T10:00:00Z", "{\"jobTitle\": \"Lead\"}"),
                // the decision is the whole stored object: department gone means cleared
                item("dev.idsync.user.upserted.v1", USERS, null, "r2", "2026-12-02T10:00:00Z",
                        "{\"displayName\": \"Ada\", \"jobTitle\": \"Lead\"}"),
                item("dev.idsync.user.upserted.v1", OBS, null, "r3", "2026-12-03T10:00:00Z",
                        "{\"displayName\": \"Ada\", \"jobTitle\": \"Lead\"}")));

        assertThat(history).extracting(HistoryEntry::runId).as("newest first").containsExactly("r3", "r2", "r2", "r1", "r1");
        HistoryEntry confirmed = history.get(0);
        assertThat(confirmed.source()).isEqualTo("Entra said");
        assertThat(confirmed.who()).isEqualTo("Entra (Graph)");
        assertThat(confirmed.changes()).isEmpty();
        assertThat(confirmed.summary()).isEqualTo("no attribute changed (confirmed as it was)");

        HistoryEntry decided = history.get(1);
        assertThat(decided.source()).isEqualTo("idsync decided");
        assertThat(decided.sourceClass()).isEqualTo("decision");
        assertThat(decided.who()).isEqualTo("idsync");
        assertThat(decided.changes()).containsExactly(new HistoryEntry.Change("jobTitle", "Engineer", "Lead"),
                new HistoryEntry.Change("department", "R&D", "(empty)"));

        HistoryEntry observed = history.get(2);
        assertThat(observed.type()).isEqualTo("user.upserted");
        assertThat(observed.changes()).containsExactly(new HistoryEntry.Change("jobTitle", "Engineer", "Lead"));

        assertThat(history.get(4).changes()).as("the first observation: every attribute as Graph said it")
                .containsExactly(new HistoryEntry.Change("displayName", null, "Ada"),
                        new HistoryEntry.Change("jobTitle", null, "Engineer"));
        assertThat(history.get(4).changes().get(0).changed()).isFalse();
    }

    @Test
    void an_administrators_changes_name_the_actor_with_before_and_after_and_a_refusal_says_nothing_was_saved()
            throws Exception {
        List<HistoryEntry> history = HistoryEntry.of(List.of(
                item("dev.idsync.profile.updated.v1", "idsync.profile.changes.v1", "ada.admin", null, "2026-12-04T09:00:00Z",
                        "{\"actor\": \"ada.admin\", \"before\": {\"jobTitle\": \"Lead\", \"mobilePhone\": null}, "
                                + "\"after\": {\"jobTitle\": \"Head\", \"mobilePhone\": \"+49 1\"}}"),
                item("dev.idsync.profile.update-rejected.v1", "idsync.profile.changes.v1", "ada.admin", null,
                        "2026-12-04T09:05:00Z", "{\"actor\": \"ada.admin\", \"reason\": \"graphUnavailable\", \"status\": 503, "
                                + "\"detail\": \"Entra answered 503\", \"requested\": {\"jobTitle\": \"Boss\"}}"),
                item("dev.idsync.roleassignment.granted.v1", "idsync.app.role-assignments.v2", "ada.admin", null,
                        "2026-12-04T09:10:00Z", "{\"role\": \"Editor\", \"source\": \"manual\", \"accessLevel\": \"edit\", "
                                + "\"actor\": \"ada.admin\"}"),
                item("dev.idsync.user.removed.v2", USERS, "bob.approver", "r9", "2026-12-05T09:00:00Z",
                        "{\"reason\": \"deleted\", \"decidedBy\": \"bob.approver\"}")));

        HistoryEntry removed = history.get(0);
        assertThat(removed.source()).isEqualTo("changed by bob.approver");
        assertThat(removed.who()).isEqualTo("bob.approver");
        assertThat(removed.changes()).containsExactly(new HistoryEntry.Change("reason", null, "deleted"));

        assertThat(history.get(1).changes()).containsExactly(new HistoryEntry.Change("role", null, "Editor"),
                new HistoryEntry.Change("source", null, "manual"), new HistoryEntry.Change("accessLevel", null, "edit"));

        HistoryEntry refused = history.get(2);
        assertThat(refused.summary()).isEqualTo("refused, nothing saved: 503 graphUnavailable — Entra answered 503");
        assertThat(refused.changes()).containsExactly(new HistoryEntry.Change("jobTitle", null, "Boss"));

        HistoryEntry updated = history.get(3);
        assertThat(updated.sourceClass()).isEqualTo("change");
        assertThat(updated.who()).isEqualTo("ada.admin");
        assertThat(updated.changes()).containsExactly(new HistoryEntry.Change("jobTitle", "Lead", "Head"),
                new HistoryEntry.Change("mobilePhone", "(empty)", "+49 1"));
    }
}
