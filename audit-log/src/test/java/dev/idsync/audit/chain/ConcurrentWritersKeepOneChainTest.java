package dev.idsync.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idsync.audit.AuditTestSupport;
import dev.idsync.audit.recording.AuditEntry;
import dev.idsync.audit.recording.AuditRecorder;
import dev.idsync.infra.test.EmulatorResource;
import dev.idsync.infra.test.KafkaResource;
import dev.idsync.infra.test.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several writers at once (as several partitions or instances would be), each batch mixing two tenants
 * and repeating ids other writers also record: each tenant still ends with one linear chain, no seq twice,
 * no id twice.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EmulatorResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentWritersKeepOneChainTest {

    @Inject
    AuditRecorder recorder;

    @Inject
    ChainVerifier verifier;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void six_concurrent_writers_with_overlapping_batches_leave_each_tenant_one_intact_chain() throws Exception {
        String a = "t-" + UUID.randomUUID();
        String b = "t-" + UUID.randomUUID();
        int writers = 6;
        int batches = 30;
        int perBatch = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int batch = 0; batch < batches; batch++) {
                        List<AuditEntry> entries = new ArrayList<>();
                        for (int i = 0; i < perBatch; i++) {
                            // writer pairs record the same ids: every id arrives twice, concurrently
                            String id = (writer / 2) + "-" + batch + "-" + i;
                            entries.add(entry(i % 2 == 0 ? a : b, id));
                        }
                        recorder.record(entries);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long distinct = (long) (writers / 2) * batches * perBatch;
        assertThat(AuditTestSupport.count(dataSource, a) + AuditTestSupport.count(dataSource, b)).isEqualTo(distinct);
        for (String tenant : List.of(a, b)) {
            VerifyResult result = verifier.verify(tenant).orElseThrow();
            assertThat(result.intact()).as("%s", result).isTrue();
            assertThat(result.headSeq()).isEqualTo(distinct / 2).isEqualTo(result.rowsChecked());
        }
    }

    private static AuditEntry entry(String tenant, String id) {
        Instant now = Instant.now();
        return new AuditEntry(tenant + "/" + id, "dev.idsync.user.upserted.v1", "urn:idsync:test",
                "idsync.directory.users.v1", tenant, "u-" + id, null, null, now,
                ("{\"objectId\":\"u-" + id + "\"}").getBytes(StandardCharsets.UTF_8), now);
    }
}
