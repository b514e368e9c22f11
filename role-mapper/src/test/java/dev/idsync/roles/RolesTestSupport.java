package dev.idsync.roles;

import static io.restassured.RestAssured.given;

import dev.idsync.api.Roles;
import dev.idsync.events.RoleAssignmentGranted;
import dev.idsync.events.RoleAssignmentRevoked;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.Topics;
import dev.idsync.infra.test.EventTopicProbe;
import dev.idsync.infra.test.TestTokens;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What role-mapper's tests share: tokens, reading a user's roles over the API, reading the events a user got. */
public final class RolesTestSupport {

    public static final String TENANT = "contoso";
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private RolesTestSupport() {
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

    /** Events about one user on the role-assignment topic, as "+role:source:group" / "-role:...", in topic order. */
    public static List<String> eventsFor(String bootstrap, String user, Predicate<List<String>> done) {
        List<String>[] last = new List[] {List.of()};
        EventTopicProbe.readUntil(bootstrap, Topics.ROLE_ASSIGNMENTS, records -> {
            last[0] = describeEvents(records, user);
            return done.test(last[0]);
        }, Duration.ofSeconds(30));
        return last[0];
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
