package dev.idsync.kafka;

import dev.idsync.events.EventType;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventDeserializer;
import dev.idsync.events.kafka.SyncEventSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Not part of the suite: what judging a good record costs on a consumer's hot path (CloudEvent binding and
 * JSON Schema), per typical user observation. Run:
 * {@code ./mvnw -B -o test -pl kafka-support -Dtest=TriageCostMeasurement -Dsurefire.failIfNoSpecifiedTests=false}
 */
class TriageCostMeasurement {

    @Test
    void measure() {
        SyncEventSerializer serializer = new SyncEventSerializer("urn:idsync:test");
        List<RecordHeaders> headers = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            RecordHeaders h = new RecordHeaders();
            bodies.add(serializer.serialize(Topics.GRAPH_OBSERVATIONS, h, new UserUpserted("t", "u" + i, "run-1", 1,
                    Instant.parse("2026-12-01T10:00:00Z").plusMillis(i), Map.of("displayName", "User " + i,
                            "userPrincipalName", "u" + i + "@contoso.example", "department", "Sales", "accountEnabled", true,
                            "jobTitle", "Clerk", "mail", "u" + i + "@contoso.example"))));
            headers.add(h);
        }
        SyncEventDeserializer deserializer = new SyncEventDeserializer();
        EventSchemaCheck schemas = new EventSchemaCheck();
        for (int round = 0; round < 3; round++) {
            long bound = 0;
            long started = System.nanoTime();
            for (int i = 0; i < bodies.size(); i++) {
                deserializer.deserialize(Topics.GRAPH_OBSERVATIONS, headers.get(i), bodies.get(i));
                bound++;
            }
            long bindOnly = System.nanoTime() - started;
            started = System.nanoTime();
            for (int i = 0; i < bodies.size(); i++) {
                deserializer.deserialize(Topics.GRAPH_OBSERVATIONS, headers.get(i), bodies.get(i));
                schemas.violation(EventType.USER_UPSERTED, bodies.get(i));
            }
            long judged = System.nanoTime() - started;
            System.out.printf("MEASURED round %d: %d records, binding alone %.1f µs/record, judged (binding + schema, as EventTriage on a good record) %.1f µs/record%n",
                    round, bound, bindOnly / 1000.0 / bound, judged / 1000.0 / bound);
        }
    }
}
