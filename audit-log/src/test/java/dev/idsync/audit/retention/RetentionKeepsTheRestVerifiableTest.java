package dev.idsync.audit.retention;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.idsync.api.Roles;
import dev.idsync.audit.AuditTestSupport;
import dev.idsync.audit.chain.ChainVerifier;
import dev.idsync.audit.chain.VerifyResult;
import dev.idsync.audit.recording.AuditEntry;
import dev.idsync.audit.recording.AuditRecorder;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import dev.idsync.infra.test.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Retention drops a tenant's old month partitions whole and leaves the anchor behind, so the rest still
 * verifies; it never drops evidence of tampering. Old rows are written through the real recorder with
 * an earlier clock.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class RetentionKeepsTheRestVerifiableTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Inject
    AuditRecorder recorder;

    @Inject
    PartitionDropper dropper;

    @Inject
    ChainVerifier verifier;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "idsync.test.emulator.url")
    String emulatorUrl;

    @Test
    void partitions_older_than_the_retention_are_dropped_and_the_rest_verifies_from_the_recorded_anchor()
            throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        recorder.record(entries(tenant, "a", 30), NOW.minus(120, ChronoUnit.DAYS));
        recorder.record(entries(tenant, "b", 20), NOW.minus(75, ChronoUnit.DAYS));
        recorder.record(entries(tenant, "c", 10), NOW);
        assertThat(AuditTestSupport.partitions(dataSource, tenant)).hasSize(3);

        List<PartitionDropper.Dropped> dropped = dropper.dropBefore(tenant, NOW.minus(30, ChronoUnit.DAYS));

        assertThat(dropped).extracting(PartitionDropper.Dropped::anchorSeq).containsExactly(30L, 50L);
        assertThat(AuditTestSupport.partitions(dataSource, tenant)).hasSize(1);
        assertThat(AuditTestSupport.count(dataSource, tenant)).isEqualTo(10);
        VerifyResult result = verifier.verify(tenant).orElseThrow();
        assertThat(result.intact()).as("%s", result).isTrue();
        assertThat(result.anchorSeq()).isEqualTo(50);
        assertThat(result.rowsChecked()).isEqualTo(10);
        given().header("Authorization", TestTokens.bearer(emulatorUrl, Roles.READER)).queryParam("tenant", tenant)
                .when().get("/api/audit/events")
                .then().statusCode(200).body("items.size()", equalTo(10)).body("items[0].seq", equalTo(51));

        // Later batches continue the chain after the cut.
        recorder.record(entries(tenant, "d", 5), NOW.plusSeconds(1));
        assertThat(verifier.verify(tenant).orElseThrow().intact()).isTrue();
    }

    @Test
    void a_partition_whose_chain_is_broken_is_kept_as_evidence() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        recorder.record(entries(tenant, "a", 10), NOW.minus(100, ChronoUnit.DAYS));
        recorder.record(entries(tenant, "b", 10), NOW);
        String old = "audit." + AuditTestSupport.partitions(dataSource, tenant).get(0);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("alter table " + old + " disable trigger events_append_only");
            s.executeUpdate("update " + old + " set object_id = 'someone-else' where seq = 3");
            s.execute("alter table " + old + " enable trigger events_append_only");
            c.commit();
        }

        assertThat(dropper.dropBefore(tenant, NOW.minus(30, ChronoUnit.DAYS))).isEmpty();

        assertThat(AuditTestSupport.partitions(dataSource, tenant)).hasSize(2);
        VerifyResult result = verifier.verify(tenant).orElseThrow();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken().seq()).isEqualTo(3);
    }

    private static List<AuditEntry> entries(String tenant, String prefix, int n) {
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = tenant + "-" + prefix + i;
            entries.add(new AuditEntry(id, "dev.idsync.user.upserted.v1", "urn:idsync:test", "idsync.directory.users.v1",
                    tenant, "u-" + prefix + i, null, "run-" + prefix, NOW,
                    ("{\"objectId\":\"u-" + prefix + i + "\"}").getBytes(StandardCharsets.UTF_8), NOW));
        }
        return entries;
    }
}
