package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.events.Topics;
import dev.idsync.events.UserUpserted;
import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.EmulatorControl;
import dev.idsync.systemtests.directory.DirectoryState;
import dev.idsync.systemtests.directory.DirectoryStore;
import dev.idsync.systemtests.stack.ApiClient;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.Eventually;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Timings;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.topics.ReferenceSubscriber;
import dev.idsync.systemtests.topics.ReferenceSubscriberCheck;
import dev.idsync.systemtests.topics.TopicRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issues 6 and 7 end to end: a named user's profile update through profile-writer changes the user in
 * Entra (the emulator), the confirmed re-read is an observation of what Graph said, from which the
 * processor's store and the public users topic hold the confirmed values, the audit trail holds the
 * {@code profile.updated} event with the token's user as actor, and Graph never saw a local-only field.
 */
@Order(4)
@ExtendWith(ReferenceSubscriberCheck.class)
class ProfileUpdateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE = Duration.ofMinutes(1);
    private static final Set<String> LOCAL_ONLY = Set.of("employeeType", "employmentStatus", "remoteWork",
            "gdprRestricted", "gdprReason", "entryDate", "exitDate");

    @Test
    void a_profile_update_reaches_entra_the_store_and_the_audit_with_the_actor_and_no_local_field_goes_to_graph()
            throws IOException {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.PROFILE);
        tenant.seed(40, 5, 60, 1);
        new SyncRuns(stack, tokens).runToCompletion(tenant.id(), "{}", SETTLE);
        DirectoryStore store = new DirectoryStore(stack, tenant.id());
        DirectoryState synced = DirectoryState.fromSnapshot(tenant.snapshot());
        Eventually.noDifferences("initial sync of " + tenant.id(), () -> store.read().differencesTo(synced, 20), SETTLE);

        String user = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> u.path("accountEnabled").asBoolean()).findFirst().orElseThrow().path("id").asText();
        // The person editing: a user of the issuer's directory, so the token carries a user name.
        String editor = EmulatorControl.at(stack.emulatorUrl())
                .get("/_emulator/tenants/" + EmulatorConfig.ISSUER_TENANT + "/snapshot").path("users").get(0).path("id").asText();
        String editorToken = tokens.forUser(editor, Tokens.WRITER);
        String expectedActor = actorOf(editorToken);

        Map<String, Object> entra = new LinkedHashMap<>();
        entra.put("jobTitle", "Teamleitung Systemtest");
        entra.put("department", "Operations");
        entra.put("mobilePhone", "+49 30 1234567");
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("employeeType", "employee");
        local.put("employmentStatus", "active");
        local.put("remoteWork", true);
        local.put("gdprRestricted", true);
        local.put("gdprReason", "Art. 18 request");
        local.put("entryDate", "2024-01-15");
        local.put("exitDate", null);
        SyncRuns.awaitNextSecond();
        Instant t0 = Instant.now();
        ApiClient.Response answer = new ApiClient(stack.url(Stack.WRITER), editorToken)
                .patch("/api/tenants/" + tenant.id() + "/users/" + user + "/profile", Map.of("entra", entra, "local", local))
                .expect(200);
        Duration patched = Duration.between(t0, Instant.now());

        // Entra has the values now.
        JsonNode inEntra = StreamSupport.stream(tenant.snapshot().path("users").spliterator(), false)
                .filter(u -> user.equals(u.path("id").asText())).findFirst().orElseThrow();
        entra.forEach((name, value) -> assertThat(inEntra.path(name).asText()).as("Entra's " + name).isEqualTo(value));

        // The store holds what Entra confirmed: the whole tenant equals the snapshot again.
        DirectoryState confirmed = DirectoryState.fromSnapshot(tenant.snapshot());
        Duration stored = Eventually.noDifferences("confirmed profile in the store",
                () -> store.read().differencesTo(confirmed, 20), SETTLE);
        assertThat(store.object(user).orElseThrow().attributes()).containsAllEntriesOf(entra);
        // The confirmed re-read went out as what Graph said (an observation, keyed by the tenant, no run's
        // epoch); what idsync decided from it is the full object on the public users topic.
        List<UserUpserted> observed = TopicRecords.events(stack.bootstrapServers(), Topics.GRAPH_OBSERVATIONS, tenant.id()).stream()
                .filter(e -> e instanceof UserUpserted && e.objectId().equals(user) && e.epoch() == 0)
                .map(UserUpserted.class::cast).toList();
        assertThat(observed).as("the confirmed re-read as an observation").hasSize(1);
        assertThat(observed.get(0).data()).containsAllEntriesOf(entra);
        ReferenceSubscriber subscriber = ReferenceSubscriber.shared(stack);
        subscriber.awaitDirectoryAgrees(tenant.id(), SETTLE);
        assertThat(subscriber.replica().user(tenant.id(), user).orElseThrow().attributes())
                .containsAllEntriesOf(entra).isEqualTo(store.object(user).orElseThrow().attributes());

        // The audit trail holds the update, by the token's user, with what Entra confirmed.
        ApiClient audit = new ApiClient(stack.url(Stack.AUDIT), tokens.reader());
        String query = "/api/audit/events?tenant=" + tenant.id() + "&objectId=" + user + "&type=dev.idsync.profile.updated.v1";
        List<JsonNode> updates = new ArrayList<>();
        Duration audited = Eventually.noDifferences("profile.updated in the audit", () -> {
            updates.clear();
            audit.get(query).expect(200).body().path("items").forEach(updates::add);
            return updates.size() == 1 ? List.of() : List.of("audit holds " + updates.size() + " profile updates: " + updates);
        }, SETTLE);
        JsonNode recorded = updates.get(0);
        assertThat(recorded.path("actor").asText()).isEqualTo(expectedActor);
        JsonNode after = recorded.path("payload").path("data").path("after");
        entra.forEach((name, value) -> assertThat(after.path(name).asText()).as("audited " + name).isEqualTo(inEntra.path(name).asText()));
        assertThat(recorded.path("payload").path("data").path("actor").asText()).isEqualTo(expectedActor);
        assertThat(answer.body().path("entra").path("jobTitle").asText()).isEqualTo(inEntra.path("jobTitle").asText());

        // Graph saw exactly the Entra fields, never a local-only one.
        List<JsonNode> patches = tenant.requests(".*/users/" + user + "$", "PATCH");
        assertThat(patches).hasSize(1);
        JsonNode body = patches.get(0).path("body");
        JsonNode sent = body.isTextual() ? JSON.readTree(body.asText()) : body;
        Set<String> sentFields = new TreeSet<>();
        for (Iterator<String> names = sent.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            // The Graph SDK adds "@odata.type": an OData annotation, not a property of the user.
            if (!name.startsWith("@odata.")) {
                sentFields.add(name);
            }
        }
        assertThat(sentFields).isEqualTo(new TreeSet<>(entra.keySet())).doesNotContainAnyElementsOf(LOCAL_ONLY);

        Timings.report("profile update", "PATCH (Entra write + re-read + Kafka transaction) %d ms; store confirmed %d ms and audit recorded %d ms after the answer"
                .formatted(patched.toMillis(), stored.toMillis(), audited.plus(stored).toMillis()));
    }

    /** The actor profile-writer derives from a token: its user name claims in this order, else the subject. */
    private static String actorOf(String bearer) throws IOException {
        String jwt = bearer.substring("Bearer ".length());
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        for (String claim : List.of("preferred_username", "upn", "unique_name", "sub")) {
            if (claims.path(claim).isTextual() && !claims.path(claim).asText().isBlank()) {
                return claims.path(claim).asText();
            }
        }
        throw new AssertionError("token without a user name or subject: " + claims);
    }
}
