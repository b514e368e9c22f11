package dev.idsync.events;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventTypeTest {

    @Test
    void typesAreUniqueVersionedAndFoundByName() {
        Set<String> seen = new HashSet<>();
        Set<Class<?>> classes = new HashSet<>();
        for (EventType type : EventType.values()) {
            assertTrue(type.type().matches("dev\\.idsync\\.[a-z]+\\.[a-z-]+\\.v[12]"), type.type());
            assertTrue(seen.add(type.type()), "duplicate " + type.type());
            assertTrue(classes.add(type.payloadClass()), "duplicate " + type.payloadClass());
            assertEquals(Optional.of(type), EventType.fromType(type.type()));
            assertTrue(Topics.ALL.contains(type.topic()), type.topic());
        }
        assertEquals(18, seen.size());
        assertEquals(Optional.empty(), EventType.fromType("dev.idsync.user.suspended.v1"));
        assertEquals(Optional.empty(), EventType.fromType(null));
    }

    @Test
    void contractTypeNamesAndTopics() {
        assertEquals("dev.idsync.directoryrole.member-added.v1", EventType.DIRECTORY_ROLE_MEMBER_ADDED.type());
        assertEquals("dev.idsync.profile.update-rejected.v1", EventType.PROFILE_UPDATE_REJECTED.type());
        assertEquals(Topics.MEMBERSHIPS, EventType.MEMBERSHIP_REMOVED.topic());
        assertEquals(Topics.DIRECTORY_ROLES, EventType.DIRECTORY_ROLE_MEMBER_REMOVED.topic());
        assertEquals(Topics.SYNC_RUNS, EventType.SYNC_RUN_FAILED.topic());
        assertEquals(Topics.ROLE_ASSIGNMENTS, EventType.ROLE_ASSIGNMENT_REVOKED.topic());
        assertEquals(Topics.PROFILE_CHANGES, EventType.PROFILE_UPDATE_REJECTED.topic());
        assertEquals("dev.idsync.user.removed.v2", EventType.USER_REMOVED.type());
        assertEquals(Topics.SYNC_RUNS, EventType.DELETIONS_DECIDED.topic());
    }

    @Test
    void public_keys_name_the_object_each_membership_and_each_assignment_so_compaction_keeps_their_last_word() {
        SyncEvent added = Fixtures.sample(EventType.MEMBERSHIP_ADDED);
        assertEquals(Fixtures.TENANT + ":" + Fixtures.GROUP + ":" + Fixtures.USER, added.key());
        SyncEvent granted = Fixtures.sample(EventType.ROLE_ASSIGNMENT_GRANTED);
        assertEquals(Fixtures.TENANT + ":" + Fixtures.USER + ":store-manager:federated:" + Fixtures.GROUP, granted.key());
        SyncEvent revoked = Fixtures.sample(EventType.ROLE_ASSIGNMENT_REVOKED);
        assertEquals(Fixtures.TENANT + ":" + Fixtures.USER + ":auditor:manual:", revoked.key());
        assertEquals(Fixtures.TENANT + ":" + Fixtures.USER, Fixtures.sample(EventType.USER_UPSERTED).key());
        assertEquals(Fixtures.TENANT, dev.idsync.events.kafka.SyncEventRecords.observation(added).key());
        assertEquals(Topics.GRAPH_OBSERVATIONS, dev.idsync.events.kafka.SyncEventRecords.observation(added).topic());
    }

    @Test
    void topics() {
        assertEquals(9, Set.copyOf(Topics.ALL).size());
        assertTrue(Topics.ALL.stream().allMatch(t -> t.startsWith("idsync.") && t.matches(".*\\.v[12]")));
        assertTrue(Topics.ALL.containsAll(Topics.COMPACTED));
        assertTrue(Topics.compacted(Topics.MEMBERSHIPS) && !Topics.compacted(Topics.GRAPH_OBSERVATIONS));
        assertEquals("idsync.directory.users.v2.dlq", Topics.dlq(Topics.USERS));
        assertThrows(IllegalArgumentException.class, () -> Topics.dlq(" "));
    }

    @Test
    void enumJsonValues() {
        assertEquals(Optional.of(RemovalReason.OUT_OF_SCOPE), RemovalReason.fromJson("outOfScope"));
        assertEquals(Optional.empty(), RemovalReason.fromJson("purged"));
        assertEquals(Optional.of(MemberType.ORG_CONTACT), MemberType.fromODataType("#microsoft.graph.orgContact"));
        assertEquals(Optional.of(MemberType.SERVICE_PRINCIPAL),
                MemberType.fromODataType("#microsoft.graph.servicePrincipal"));
        assertEquals(Optional.empty(), MemberType.fromODataType("#microsoft.graph.application"));
        assertEquals(Optional.empty(), MemberType.fromODataType("user"));
        assertEquals("dryRun", SyncMode.DRY_RUN.json());
        assertEquals("federated", AssignmentSource.FEDERATED.json());
    }
}
