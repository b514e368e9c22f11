package dev.idsync.poller.scale;

import dev.idsync.events.MemberType;
import dev.idsync.events.MembershipAdded;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.UserUpserted;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.poller.publish.ObservationSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * CPU per observation of sync-events' serializer and the poller's, by hand (not a test): the events of a
 * 100k tenant's initial sync in miniature (10 memberships per user upsert), each serializer in turns of
 * 200,000 events, five turns each after a warm-up; prints ns per event.
 * {@code java -cp <test classpath> dev.idsync.poller.scale.SerializerCost}
 */
public final class SerializerCost {

    public static void main(String[] args) {
        List<SyncEvent> events = new ArrayList<>();
        Instant at = Instant.parse("2026-12-06T15:29:12Z");
        for (int u = 0; u < 20_000; u++) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("displayName", "User " + u);
            user.put("userPrincipalName", "user" + u + "@contoso.example");
            user.put("mail", "user" + u + "@contoso.example");
            user.put("accountEnabled", u % 20 != 0);
            user.put("department", "Dept " + (u % 50));
            user.put("jobTitle", null);
            user.put("companyName", "Contoso GmbH");
            events.add(new UserUpserted("contoso", "u" + u, "run-1", 1, at, user));
            for (int m = 0; m < 10; m++) {
                events.add(MembershipAdded.of("contoso", "g" + (u * 7 + m) % 10_000, "run-1", 1, at, "u" + u,
                        MemberType.USER));
            }
        }
        Serializer<SyncEvent> reference = new SyncEventSerializer("urn:idsync:graph-poller");
        Serializer<SyncEvent> poller = new ObservationSerializer("urn:idsync:graph-poller");
        run(reference, events);
        run(poller, events);
        long[] totals = new long[2];
        for (int turn = 0; turn < 5; turn++) {
            totals[0] += run(reference, events);
            totals[1] += run(poller, events);
        }
        int n = events.size() * 5;
        System.out.printf("sync-events SyncEventSerializer: %.0f ns/event%n", totals[0] / (double) n);
        System.out.printf("graph-poller ObservationSerializer: %.0f ns/event (%.2f of it)%n", totals[1] / (double) n,
                totals[1] / (double) totals[0]);
    }

    private static long run(Serializer<SyncEvent> serializer, List<SyncEvent> events) {
        long t0 = System.nanoTime();
        long bytes = 0;
        for (SyncEvent event : events) {
            bytes += serializer.serialize("t", new RecordHeaders(), event).length;
        }
        if (bytes == 0) {
            throw new IllegalStateException();
        }
        return System.nanoTime() - t0;
    }
}
