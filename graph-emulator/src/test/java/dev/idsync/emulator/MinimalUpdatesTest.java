package dev.idsync.emulator;

import static dev.idsync.emulator.EmulatorClient.op;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.emulator.DeltaRounds.Round;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph answers an updated object in a follow-up round with "at least the updated properties", also when the
 * client did not ask for {@code return=minimal}. The tenant setting {@code minimalUpdateShare} (with
 * {@code minimalUpdateSeed}) makes the emulator do that for a share of the updates, so clients prove they
 * do not read an absent property as an empty one.
 */
@QuarkusTest
class MinimalUpdatesTest {

    private static final String SELECT = "displayName,jobTitle,mobilePhone,city";
    private static final Set<String> ALL_SELECTED = Set.of("id", "displayName", "jobTitle", "mobilePhone", "city");

    private String tenant;
    private String token;
    private Round initial;

    @BeforeEach
    void tenant() {
        tenant = EmulatorClient.createTenant("minimal");
        EmulatorClient.seed(tenant, 300, 2, 50, 1, 5);
        token = EmulatorClient.appToken(tenant);
        initial = DeltaRounds.follow(token, "/v1.0/users/delta?$select=" + SELECT, "odata.maxpagesize=200");
    }

    @Test
    void withTheWholeShareAnUpdateIsAnsweredWithOnlyItsChangedPropertiesUnasked() {
        EmulatorClient.settings(tenant, Map.of("minimalUpdateShare", 1.0));
        String updated = (String) initial.items().get(0).get("id");
        String created = EmulatorClient.mutate(tenant, List.of(
                op("updateUser", "id", updated, "properties", Map.of("jobTitle", "Leitung Einkauf")),
                op("createUser", "properties", Map.of("displayName", "Neu Hier", "accountEnabled", true,
                        "userPrincipalName", "neu.hier@northwind.example", "mailNickname", "neuhier"))))
                .getString("results[1].id");

        Response page = EmulatorClient.graphGet(token, initial.deltaLink(), null);

        assertThat(page.header("Preference-Applied")).as("the client asked for nothing").isNull();
        Map<String, Map<String, Object>> byId = byId(page.jsonPath().getList("value"));
        assertThat(byId.get(updated)).containsOnlyKeys("id", "jobTitle").containsEntry("jobTitle", "Leitung Einkauf");
        // A created (or restored) object is new to the client: always the full representation.
        assertThat(byId.get(created).keySet()).isEqualTo(ALL_SELECTED);
    }

    @Test
    void aShareAnswersAboutThatPartOfTheUpdatesMinimalAndTheSameSeedGivesTheSamePages() {
        EmulatorClient.settings(tenant, Map.of("minimalUpdateShare", 0.5, "minimalUpdateSeed", 7));
        List<Map<String, Object>> updates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            updates.add(op("updateUser", "id", initial.items().get(i).get("id"),
                    "properties", Map.of("jobTitle", "Titel " + i)));
        }
        EmulatorClient.mutate(tenant, updates);

        Round first = DeltaRounds.follow(token, initial.deltaLink(), "odata.maxpagesize=50");
        Round again = DeltaRounds.follow(token, initial.deltaLink(), "odata.maxpagesize=50");

        Set<Object> minimal = minimalIds(first);
        assertThat(first.items()).hasSize(200);
        assertThat(minimal).hasSizeBetween(60, 140);
        assertThat(first.items()).filteredOn(i -> !minimal.contains(i.get("id")))
                .allSatisfy(i -> assertThat(i.keySet()).isEqualTo(ALL_SELECTED));
        assertThat(again.items()).as("a page fetched again is the same page").isEqualTo(first.items());

        EmulatorClient.settings(tenant, Map.of("minimalUpdateSeed", 8));
        Round otherSeed = DeltaRounds.follow(token, initial.deltaLink(), "odata.maxpagesize=50");
        assertThat(minimalIds(otherSeed)).isNotEqualTo(minimal);
    }

    @Test
    void withoutTheSettingEveryUpdateIsAnsweredInFull() {
        String updated = (String) initial.items().get(0).get("id");
        EmulatorClient.mutate(tenant, List.of(op("updateUser", "id", updated,
                "properties", Map.of("jobTitle", "Leitung Einkauf"))));

        Round followUp = DeltaRounds.follow(token, initial.deltaLink(), null);

        assertThat(followUp.items()).singleElement().satisfies(item -> assertThat(item.keySet()).isEqualTo(ALL_SELECTED));
    }

    @Test
    void theShareIsShownInTheSettingsAndMustLieBetweenZeroAndOne() {
        Response tooMuch = given().contentType(ContentType.JSON).body(Map.of("minimalUpdateShare", 1.5))
                .put("/_emulator/tenants/{t}/settings", tenant);
        assertThat(tooMuch.statusCode()).isEqualTo(400);
        assertThat(tooMuch.jsonPath().getString("detail")).contains("minimalUpdateShare");

        EmulatorClient.settings(tenant, Map.of("minimalUpdateShare", 0.25, "minimalUpdateSeed", 3));

        Map<String, Object> settings = given().get("/_emulator/tenants/{t}", tenant).jsonPath().getMap("settings");
        assertThat(settings).containsEntry("minimalUpdateShare", 0.25f).containsEntry("minimalUpdateSeed", 3);
    }

    private static Set<Object> minimalIds(Round round) {
        return round.items().stream().filter(i -> i.keySet().equals(Set.of("id", "jobTitle")))
                .map(i -> i.get("id")).collect(Collectors.toSet());
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> items) {
        return items.stream().collect(Collectors.toMap(i -> (String) i.get("id"), i -> i));
    }
}
