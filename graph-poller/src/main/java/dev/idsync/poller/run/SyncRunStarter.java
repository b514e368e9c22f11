package dev.idsync.poller.run;

import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunStarted;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Opens a sync run: publishes {@code syncrun.started} and waits for Kafka's acknowledgement before the
 * run is recorded as running, so the ledger never shows a run that downstream consumers could not see.
 */
@ApplicationScoped
public class SyncRunStarter {

    private static final Logger LOG = Logger.getLogger(SyncRunStarter.class);

    private final SyncRunLedger ledger;
    private final MutinyEmitter<SyncEvent> runEvents;
    private final Clock clock;

    SyncRunStarter(SyncRunLedger ledger, @Channel("sync-runs") MutinyEmitter<SyncEvent> runEvents) {
        this.ledger = ledger;
        this.runEvents = runEvents;
        this.clock = Clock.systemUTC();
    }

    public SyncRunRecord start(String tenantId, SyncMode mode, List<String> resources) {
        String runId = UUID.randomUUID().toString();
        long epoch = ledger.epochFor(tenantId, mode);
        SyncRunRecord run = new SyncRunRecord(runId, tenantId, mode, resources, epoch, "running");
        var started = new SyncRunStarted(tenantId, runId, runId, epoch, clock.instant(),
                new SyncRun(mode, resources, Map.of(), null));
        runEvents.sendMessageAndAwait(Message.of((SyncEvent) started)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(started.key()).build()));
        ledger.recordStarted(run);
        MDC.put("tenant", tenantId);
        MDC.put("runId", runId);
        try {
            LOG.infof("sync run started: mode=%s resources=%s epoch=%d", mode.json(), resources, epoch);
        } finally {
            MDC.remove("tenant");
            MDC.remove("runId");
        }
        return run;
    }
}
