package dev.idsync.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class CeIdsTest {

    private static final Instant LATER = Fixtures.OBSERVED.plusSeconds(97);

    @Test
    void uuid5MatchesTheRfcAlgorithm() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertEquals(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"), CeIds.uuid5(dns, "python.org"));
    }

    @Test
    void namespaceNeverChanges() {
        // uuid.uuid5(uuid.NAMESPACE_URL, "urn:idsync:ce_id"); changing it would change every id in production
        assertEquals(UUID.fromString("8816c33b-02c6-5a20-8b1c-3c9ebaab6b32"), CeIds.NAMESPACE);
    }

    @Test
    void sameChangeReadAgainLaterKeepsItsId() {
        UserUpserted first = new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED,
                Fixtures.userAttributes());
        UserUpserted reread = new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, LATER,
                Fixtures.userAttributes());
        assertEquals(CeIds.of(first), CeIds.of(reread));
    }

    @Test
    void a_decision_with_the_same_body_as_its_observation_has_an_id_of_its_own() {
        UserUpserted observed = new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED,
                Fixtures.userAttributes());
        assertNotEquals(CeIds.of(observed), CeIds.of(CeIds.DECIDED, observed));
        assertEquals(CeIds.of(CeIds.DECIDED, observed), CeIds.of(CeIds.DECIDED, observed));
        assertEquals(CeIds.of(observed), CeIds.of(null, observed));
    }

    @Test
    void two_decisions_that_differ_only_in_their_observation_time_have_different_ids() {
        UserUpserted first = new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED,
                Fixtures.userAttributes());
        UserUpserted again = new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, LATER,
                Fixtures.userAttributes());
        assertNotEquals(CeIds.of(CeIds.DECIDED, first), CeIds.of(CeIds.DECIDED, again));
    }

    @Test
    void attributeOrderDoesNotMatter() {
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> names = List.copyOf(Fixtures.userAttributes().keySet()).reversed();
        names.forEach(name -> reversed.put(name, Fixtures.userAttributes().get(name)));
        assertEquals(
                CeIds.of(new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED,
                        Fixtures.userAttributes())),
                CeIds.of(new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED,
                        reversed)));
    }

    @Test
    void differentDataRunEpochObjectOrTypeGiveDifferentIds() {
        Map<String, Object> changed = Fixtures.userAttributes();
        changed.put("department", "Finance");
        Map<String, Object> cleared = Fixtures.userAttributes();
        cleared.put("department", null);

        Set<String> ids = new HashSet<>(List.of(
                CeIds.of(new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED,
                        Fixtures.userAttributes())),
                CeIds.of(new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED, changed)),
                CeIds.of(new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED, cleared)),
                // A→B→A: the same data again in a later run is a new change
                CeIds.of(new UserUpserted(Fixtures.TENANT, Fixtures.USER, "run-later", 3, Fixtures.OBSERVED,
                        Fixtures.userAttributes())),
                CeIds.of(new UserUpserted(Fixtures.TENANT, Fixtures.USER, Fixtures.RUN, 4, Fixtures.OBSERVED,
                        Fixtures.userAttributes())),
                CeIds.of(new UserUpserted(Fixtures.TENANT, "another-user", Fixtures.RUN, 3, Fixtures.OBSERVED,
                        Fixtures.userAttributes())),
                CeIds.of(new UserUpserted("another-tenant", Fixtures.USER, Fixtures.RUN, 3, Fixtures.OBSERVED,
                        Fixtures.userAttributes()))));
        assertEquals(7, ids.size(), ids::toString);

        // Same body shape, different meaning: the type is part of the name.
        assertNotEquals(
                CeIds.of(MembershipAdded.of(Fixtures.TENANT, Fixtures.GROUP, Fixtures.RUN, 3, Fixtures.OBSERVED,
                        Fixtures.USER, MemberType.USER)),
                CeIds.of(MembershipRemoved.of(Fixtures.TENANT, Fixtures.GROUP, Fixtures.RUN, 3, Fixtures.OBSERVED,
                        Fixtures.USER, MemberType.USER)));
    }

    @Test
    void everySampleHasADistinctVersion5Id() {
        Set<String> ids = new HashSet<>();
        for (SyncEvent event : Fixtures.all()) {
            String id = CeIds.of(event);
            assertEquals(5, UUID.fromString(id).version());
            ids.add(id);
        }
        assertEquals(EventType.values().length, ids.size());
    }
}
