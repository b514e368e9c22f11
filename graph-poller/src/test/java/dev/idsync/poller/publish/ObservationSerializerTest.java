package dev.idsync.poller.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.events.CeIds;
import dev.idsync.events.DirectoryRoleMemberAdded;
import dev.idsync.events.DirectoryRoleMemberRemoved;
import dev.idsync.events.DirectoryRoleRemoved;
import dev.idsync.events.DirectoryRoleUpserted;
import dev.idsync.events.GroupRemoved;
import dev.idsync.events.GroupUpserted;
import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.MembershipRemoved;
import dev.idsync.events.RemovalReason;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.events.UserRemoved;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.CloudEventHeaders;
import dev.idsync.events.kafka.SyncEventDeserializer;
import dev.idsync.events.kafka.SyncEventSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The poller's fast serializer writes exactly what sync-events' serializer writes, for every observation. */
class ObservationSerializerTest {

    private static final String SOURCE = "urn:idsync:graph-poller";

    private final ObservationSerializer fast = new ObservationSerializer(SOURCE);
    private final SyncEventSerializer reference = new SyncEventSerializer(SOURCE);

    @Test
    void every_kind_of_observation_gets_the_reference_serializers_headers_body_and_ce_id() {
        for (SyncEvent event : observations()) {
            RecordHeaders fastHeaders = new RecordHeaders();
            RecordHeaders referenceHeaders = new RecordHeaders();
            // A header a framework added first is replaced, as the reference does.
            fastHeaders.add(CloudEventHeaders.ID, "stale".getBytes(StandardCharsets.UTF_8));
            referenceHeaders.add(CloudEventHeaders.ID, "stale".getBytes(StandardCharsets.UTF_8));

            byte[] body = fast.serialize("t", fastHeaders, event);
            byte[] expected = reference.serialize("t", referenceHeaders, event);

            assertThat(new String(body, StandardCharsets.UTF_8)).as(event.ceType())
                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(texts(fastHeaders)).as(event.ceType()).containsExactlyElementsOf(texts(referenceHeaders));
            assertThat(CloudEventHeaders.id(fastHeaders)).contains(CeIds.of(event));
            assertThat(new SyncEventDeserializer().deserialize("t", fastHeaders, body)).isEqualTo(event);
        }
    }

    @Test
    void the_time_of_a_page_is_formatted_once_and_a_new_page_gets_its_own() {
        Instant first = Instant.parse("2026-12-06T10:00:00Z");
        Instant second = Instant.parse("2026-12-06T10:00:00.001Z");
        for (Instant at : List.of(first, first, second, first)) {
            RecordHeaders headers = new RecordHeaders();
            fast.serialize("t", headers, MembershipAdded.of("contoso", "g1", "r1", 1, at, "u1", MemberType.USER));
            assertThat(CloudEventHeaders.time(headers)).contains(at);
        }
    }

    private static List<SyncEvent> observations() {
        Instant at = Instant.parse("2026-12-06T15:29:12Z");
        Instant atMillis = Instant.parse("2026-12-06T15:29:12.007Z");
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("userPrincipalName", "jürgen.müller@contoso.example");
        attributes.put("displayName", "Jürgen \"JM\" Müller \u00e9\ud83d\ude00\ttab");
        attributes.put("accountEnabled", true);
        attributes.put("jobTitle", null);
        attributes.put("employeeHireDate", "2020-01-01T00:00:00Z");
        attributes.put("businessPhones", List.of("+49 30 1234", "+49 30 5678"));
        attributes.put("zzz", Map.of("b", 2, "a", List.of(1, 2.5, Map.of("y", "1", "x", false))));
        attributes.put("aaa", 12345678901L);
        attributes.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        attributes.put("negative", -0.0);
        attributes.put("small", 1.0E-7);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("displayName", "App-Contoso-HR");
        group.put("mailEnabled", false);
        group.put("description", null);
        List<SyncEvent> events = new ArrayList<>(Arrays.asList(
                new UserUpserted("contoso", "u1", "r1", 3, at, attributes),
                new UserUpserted("contoso", "u2", "r1", 3, atMillis, Map.of()),
                new UserUpserted("contoso", "u5", "r1", 3, at, Map.of("displayName", "lone \ud83d surrogate")),
                UserRemoved.of("contoso", "u3", "r1", 3, at, RemovalReason.SOFT_DELETED),
                UserRemoved.of("contoso", "u4", "r1", 3, at, RemovalReason.HARD_DELETED),
                new GroupUpserted("contoso", "g1", "r1", 3, at, group),
                GroupRemoved.of("contoso", "g2", "r1", 3, at, RemovalReason.HARD_DELETED),
                DirectoryRoleUpserted.class.cast(new DirectoryRoleUpserted("contoso", "d1", "r1", 3, at,
                        Map.of("displayName", "Global Administrator", "roleTemplateId", "62e9"))),
                DirectoryRoleRemoved.of("contoso", "d2", "r1", 3, at, RemovalReason.SOFT_DELETED),
                DirectoryRoleMemberAdded.of("contoso", "d1", "r1", 3, at, "u1", MemberType.USER),
                DirectoryRoleMemberRemoved.of("contoso", "d1", "r1", 3, at, "sp1", MemberType.SERVICE_PRINCIPAL),
                new SyncRunStarted("contoso", "r1", "r1", 3, at, new SyncRun(SyncMode.FULL, List.of("users"), Map.of(), null)),
                new SyncRunCompleted("contoso", "r1", "r1", 3, atMillis, new SyncRun(SyncMode.DELTA,
                        List.of("users", "groups"), Map.of("user.upserted", 2L, "pages.users", 1L), "note",
                        List.of("users"))),
                new SyncRunFailed("contoso", "r1", "r1", 3, at, new SyncRun(SyncMode.DELTA, List.of("groups"),
                        Map.of(), "Graph: 503"))));
        for (MemberType type : MemberType.values()) {
            events.add(MembershipAdded.of("contoso", "g1", "r1", 3, at, "m-" + type, type));
            events.add(MembershipRemoved.of("contoso", "g1", null, 3, at, "m-" + type, type));
        }
        return events;
    }

    private static List<String> texts(RecordHeaders headers) {
        List<String> out = new ArrayList<>();
        for (Header h : headers) {
            out.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
