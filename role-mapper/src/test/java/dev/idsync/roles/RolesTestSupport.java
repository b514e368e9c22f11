package dev.idsync.roles;

import static io.restassured.RestAssured.given;

import dev.idsync.api.Roles;
import dev.idsync.events.CeIds;
import dev.idsync.events.RoleAssignment;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.RoleAssignmentRevoked;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.events.kafka.SyncEventDeserializer;
import dev.idsync.events.kafka.SyncEventRecords;
import dev.idsync.events.kafka.SyncEventSerializer;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.TestTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What role-mapper's tests share: publishing directory events as delta-processor does, tokens, reading a
 * user's roles over the API, reading (and folding) the role-assignment events a user got.
 */
public final class RolesTestSupport {

    public static final String TENANT = "contoso";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private RolesTestSupport() {
    }

    /**
     * Publishes directory events the way delta-processor does: to their public v2 topic with the public key
     * ({@link SyncEventRecords#of(SyncEvent)}: per object, per membership), ce_ids of the {@code decided}
     * scope, acks=all; returns once the broker has them all.
     */
    public static void publish(String bootstrap, Collection<? extends SyncEvent> events) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // no JMX reporter: inside a @QuarkusTest it may be loaded by another class loader (EventTopicProbe)
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(),
                new SyncEventSerializer("urn:idsync:delta-processor", CeIds.DECIDED))) {
            for (SyncEvent event : events) {
                producer.send(SyncEventRecords.of(event));
            }
            producer.flush();
        }
    }

    /**
     * The user's assignments as {@code GET .../roles} shows them, as "role:source:groupId:accessLevel" (empty
     * where there is none), sorted.
     */
    public static List<String> assignmentSlots(String emulator, String user) {
        JsonPath body = given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/users/" + user + "/roles")
                .then().extract().jsonPath();
        List<Map<String, Object>> roles = body.getList("roles");
        if (roles == null) {
            return List.of();
        }
        return roles.stream().flatMap(role -> ((List<Map<String, Object>>) role.get("assignments")).stream()
                        .map(a -> role.get("role") + ":" + a.get("source") + ":" + orEmpty(a.get("groupId")) + ":"
                                + orEmpty(a.get("accessLevel"))))
                .sorted().collect(Collectors.toList());
    }

    /**
     * What a subscriber of the compacted role-assignment topic holds for one user: the last record per key,
     * present when it is a grant; as "role:source:groupId:accessLevel" (empty where there is none), sorted.
     * Fails if a record's key is not {@code <tenant>:<user>:<role>:<source>:<groupId>} of its own event.
     */
    public static List<String> folded(List<ConsumerRecord<String, SyncEvent>> records, String user) {
        Map<String, SyncEvent> last = new LinkedHashMap<>();
        for (ConsumerRecord<String, SyncEvent> r : records) {
            if (!TENANT.equals(r.value().tenantId()) || !user.equals(r.value().objectId())) {
                continue;
            }
            RoleAssignment a = assignment(r.value());
            String expectedKey = TENANT + ":" + user + ":" + a.role() + ":" + a.source().json() + ":" + orEmpty(a.groupId());
            if (!expectedKey.equals(r.key())) {
                throw new AssertionError("record key " + r.key() + " is not the assignment's key " + expectedKey);
            }
            last.put(r.key(), r.value());
        }
        return last.values().stream().filter(RoleAssignmentGranted.class::isInstance).map(RolesTestSupport::assignment)
                .map(a -> a.role() + ":" + a.source().json() + ":" + orEmpty(a.groupId()) + ":" + orEmpty(a.accessLevel()))
                .sorted().toList();
    }

    private static RoleAssignment assignment(SyncEvent event) {
        return switch (event) {
            case RoleAssignmentGranted g -> g.data();
            case RoleAssignmentRevoked r -> r.data();
            default -> throw new AssertionError("not a role-assignment event: " + event.ceType());
        };
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : value.toString();
    }

    /**
     * Every record of the role-assignment topic, from offset 0 to the end offsets found when called, as a
     * subscriber bootstrapping its replica reads it (directory-client does the same).
     */
    public static List<ConsumerRecord<String, SyncEvent>> assignmentRecordsToTheEnd(String bootstrap) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        List<ConsumerRecord<String, SyncEvent>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new SyncEventDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ROLE_ASSIGNMENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("could not read " + Topics.ROLE_ASSIGNMENTS + " to " + end + " in 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public static String bearer(String emulator, String role) {
        return TOKENS.computeIfAbsent(role, r -> TestTokens.bearer(emulator, r));
    }

    /** The user's roles as {@code GET .../roles} shows them: "role:source:via:group" per assignment, sorted. */
    public static List<String> assignments(String emulator, String user) {
        JsonPath body = given().header("Authorization", bearer(emulator, Roles.READER))
                .when().get("/api/tenants/" + TENANT + "/users/" + user + "/roles")
                .then().extract().jsonPath();
        return describe(body, "");
    }

    public static List<String> describe(JsonPath body, String prefix) {
        List<Map<String, Object>> roles = body.getList(prefix + "roles");
        if (roles == null) {
            return List.of();
        }
        return roles.stream().flatMap(role -> ((List<Map<String, Object>>) role.get("assignments")).stream()
                        .map(a -> role.get("role") + ":" + a.get("source") + ":" + a.get("via")
                                + (a.get("groupName") != null ? ":" + a.get("groupName") : a.get("groupId") != null ? ":" + a.get("groupId") : "")))
                .sorted().collect(Collectors.toList());
    }

    /**
     * Events about one user on the role-assignment topic, as "+role:source:group" / "-role:...", in the order
     * read: the topic's order per key (one assignment), none across keys (they are in different partitions).
     */
    public static List<String> eventsFor(String bootstrap, String user, Predicate<List<String>> done) {
        List<String>[] last = new List[] {List.of()};
        EventTopicProbe.readUntil(bootstrap, Topics.ROLE_ASSIGNMENTS, records -> {
            last[0] = describeEvents(records, user);
            return done.test(last[0]);
        }, Duration.ofSeconds(30));
        return last[0];
    }

    /** Of {@link #eventsFor} descriptions, those of one assignment ("role:source[:group]"), in their order. */
    public static List<String> ofAssignment(List<String> events, String assignment) {
        return events.stream().filter(e -> e.substring(1).equals(assignment)).toList();
    }

    static List<String> describeEvents(List<ConsumerRecord<String, SyncEvent>> records, String user) {
        return records.stream().map(ConsumerRecord::value).filter(e -> e.objectId().equals(user)).map(e -> switch (e) {
            case RoleAssignmentGranted g -> "+" + g.data().role() + ":" + g.data().source().json()
                    + (g.data().groupId() == null ? "" : ":" + g.data().groupId());
            case RoleAssignmentRevoked r -> "-" + r.data().role() + ":" + r.data().source().json()
                    + (r.data().groupId() == null ? "" : ":" + r.data().groupId());
            default -> "?" + e.ceType();
        }).toList();
    }

    /** The members the role-mapper holds for a group, as {@code id:type}, read from its own schema. */
    public static List<String> groupMembers(javax.sql.DataSource dataSource, String tenant, String group)
            throws java.sql.SQLException {
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement q = c.prepareStatement("""
                        select member_id, member_type from roles.group_members
                        where tenant_id = ? and group_id = ? order by member_id""")) {
            q.setString(1, tenant);
            q.setString(2, group);
            List<String> members = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
            return members;
        }
    }
}
