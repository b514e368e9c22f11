package dev.idsync.emulator;

import static dev.idsync.emulator.EmulatorClient.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.emulator.DeltaRounds.Round;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@SuppressWarnings("unchecked")
class GroupsDeltaTest {

    private String tenant;
    private String token;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("groups-delta");
        EmulatorClient.seed(tenant, 1500, 6, 3000, 3, 11);
        token = EmulatorClient.appToken(tenant);
    }

    @Test
    void initialRoundSpreadsALargeGroupsMembersOverSeveralPagesOfAtMostFiveHundredLinks() {
        Round round = DeltaRounds.follow(token, "/v1.0/groups/delta?$select=displayName,members", "odata.maxpagesize=200");

        for (JsonPath page : round.pages()) {
            List<List<?>> memberLists = page.getList("value.'members@delta'");
            assertThat(memberLists.stream().mapToInt(l -> l == null ? 0 : l.size()).sum()).isLessThanOrEqualTo(500);
        }
        JsonPath snapshot = EmulatorClient.snapshot(tenant);
        String everyone = snapshot.getString("groups.find { it.displayName == 'App-Northwind-User' }.id");
        long appearances = round.items().stream().filter(i -> everyone.equals(i.get("id"))).count();
        assertThat(appearances).as("the 1500-member group appears on several pages").isGreaterThanOrEqualTo(3);
        assertThat(membersById(round.items())).isEqualTo(snapshotMembers(snapshot));
        Map<?, ?> firstMember = (Map<?, ?>) ((List<?>) round.items().get(0).get("members@delta")).get(0);
        assertThat(firstMember.get("@odata.type")).isEqualTo("#microsoft.graph.user");
    }

    @Test
    void aGroupWithoutAValueForASelectedPropertyCarriesItAsNull() {
        Round round = DeltaRounds.follow(token, "/v1.0/groups/delta?$select=displayName,mail,isAssignableToRole",
                "odata.maxpagesize=200");

        assertThat(round.items()).allSatisfy(group ->
                assertThat(group).containsOnlyKeys("id", "displayName", "mail", "isAssignableToRole"));
        // Security groups have no mail, and only the first seeded group is assignable to roles.
        assertThat(round.items()).anySatisfy(group -> assertThat(group).containsEntry("mail", null));
        assertThat(round.items()).anySatisfy(group -> assertThat(group).containsEntry("isAssignableToRole", null));
    }

    @Test
    void followUpReportsMembershipAdditionsAndRemovalsInMembersDelta() {
        Round initial = DeltaRounds.follow(token, "/v1.0/groups/delta?$select=displayName,members", "odata.maxpagesize=200");
        JsonPath snapshot = EmulatorClient.snapshot(tenant);
        String hr = snapshot.getString("groups.find { it.displayName == 'App-Northwind-HR' }.id");
        List<String> hrMembers = snapshot.getList("groups.find { it.displayName == 'App-Northwind-HR' }.members");
        String outsider = snapshot.getList("users.id", String.class).stream().filter(u -> !hrMembers.contains(u))
                .findFirst().orElseThrow();
        EmulatorClient.mutate(tenant, List.of(
                op("addMember", "groupId", hr, "memberId", outsider),
                op("removeMember", "groupId", hr, "memberId", hrMembers.get(0)),
                // Added and removed again within the window: no net change, nothing to report.
                op("addMember", "groupId", hr, "memberId", snapshot.getString("users[-1].id").equals(outsider)
                        ? snapshot.getString("users[-2].id") : snapshot.getString("users[-1].id")),
                op("removeMember", "groupId", hr, "memberId", snapshot.getString("users[-1].id").equals(outsider)
                        ? snapshot.getString("users[-2].id") : snapshot.getString("users[-1].id"))));

        Round followUp = DeltaRounds.follow(token, initial.deltaLink(), null);

        assertThat(followUp.items()).singleElement().satisfies(group -> {
            assertThat(group).containsEntry("id", hr).containsEntry("displayName", "App-Northwind-HR");
            assertThat((List<Object>) group.get("members@delta")).containsExactlyInAnyOrder(
                    Map.of("@odata.type", "#microsoft.graph.user", "id", outsider),
                    Map.of("@odata.type", "#microsoft.graph.user", "id", hrMembers.get(0),
                            "@removed", Map.of("reason", "deleted")));
        });
    }

    @Test
    void deletingAUserRemovesItFromItsGroupsInTheGroupsDelta() {
        Round initial = DeltaRounds.follow(token, "/v1.0/groups/delta?$select=members", "odata.maxpagesize=200");
        JsonPath snapshot = EmulatorClient.snapshot(tenant);
        String admin = snapshot.getString("groups.find { it.displayName == 'App-Northwind-Admin' }.members[0]");
        long groupsOfAdmin = snapshot.getList("groups.members", List.class).stream().filter(m -> m.contains(admin)).count();
        EmulatorClient.mutate(tenant, List.of(op("softDeleteUser", "id", admin)));

        Round followUp = DeltaRounds.follow(token, initial.deltaLink(), null);

        assertThat(followUp.items()).hasSize((int) groupsOfAdmin).allSatisfy(group -> assertThat(
                (List<Object>) group.get("members@delta")).containsExactly(Map.of("@odata.type", "#microsoft.graph.user",
                "id", admin, "@removed", Map.of("reason", "deleted"))));
    }

    @Test
    void largeMembershipChangesOfOneGroupSpreadOverSeveralFollowUpPages() {
        Round initial = DeltaRounds.follow(token, "/v1.0/groups/delta?$select=members", "odata.maxpagesize=200");
        String created = EmulatorClient.mutate(tenant, List.of(op("createGroup", "properties", Map.of(
                "displayName", "All Staff", "mailEnabled", false, "securityEnabled", true, "mailNickname", "allstaff"))))
                .getString("results[0].id");
        List<Map<String, Object>> adds = new ArrayList<>();
        for (String user : EmulatorClient.snapshot(tenant).getList("users.id", String.class).subList(0, 1200)) {
            adds.add(op("addMember", "groupId", created, "memberId", user));
        }
        EmulatorClient.mutate(tenant, adds);

        Round followUp = DeltaRounds.follow(token, initial.deltaLink(), null);

        assertThat(followUp.pages()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(membersById(followUp.items()).get(created)).hasSize(1200);
    }

    @Test
    void groupsDeltaTellsSoftFromHardDeletedGroups() {
        Round initial = DeltaRounds.follow(token, "/v1.0/groups/delta?$select=displayName", "odata.maxpagesize=200");
        String soft = (String) initial.items().get(4).get("id");
        String hard = (String) initial.items().get(5).get("id");
        EmulatorClient.mutate(tenant, List.of(op("softDeleteGroup", "id", soft), op("hardDeleteGroup", "id", hard)));

        Round followUp = DeltaRounds.follow(token, initial.deltaLink(), null);

        assertThat(followUp.items()).containsExactlyInAnyOrder(
                Map.of("id", soft, "@removed", Map.of("reason", "changed")),
                Map.of("id", hard, "@removed", Map.of("reason", "deleted")));
    }

    @Test
    void directoryRolesDeltaListsActivatedRolesWithTheirMembers() {
        Round round = DeltaRounds.follow(token, "/v1.0/directoryRoles/delta", null);

        assertThat(round.items()).hasSize(3);
        assertThat(round.items()).extracting(i -> i.get("displayName")).contains("Global Administrator");
        Map<String, Set<String>> members = membersById(round.items());
        JsonPath snapshot = EmulatorClient.snapshot(tenant);
        for (Map<String, Object> role : snapshot.<Map<String, Object>>getList("directoryRoles")) {
            assertThat(members.get((String) role.get("id"))).containsExactlyInAnyOrderElementsOf((List<String>) role.get("members"));
        }
    }

    /** Members per group as a client accumulates them over a round (additions minus removals). */
    static Map<String, Set<String>> membersById(List<Map<String, Object>> items) {
        Map<String, Set<String>> result = new HashMap<>();
        for (Map<String, Object> item : items) {
            Set<String> members = result.computeIfAbsent((String) item.get("id"), k -> new HashSet<>());
            Object delta = item.get("members@delta");
            if (delta instanceof List<?> list) {
                for (Object o : list) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    if (m.containsKey("@removed")) {
                        members.remove((String) m.get("id"));
                    } else {
                        members.add((String) m.get("id"));
                    }
                }
            }
        }
        return result;
    }

    private static Map<String, Set<String>> snapshotMembers(JsonPath snapshot) {
        Map<String, Set<String>> result = new HashMap<>();
        for (Map<String, Object> group : snapshot.<Map<String, Object>>getList("groups")) {
            result.put((String) group.get("id"), new HashSet<>((List<String>) group.get("members")));
        }
        return result;
    }
}
