package dev.idsync.audit.recording;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Records each poll batch of every idsync topic; the batch is acknowledged when this returns. */
@ApplicationScoped
public class AuditConsumer {

    private final AuditRecorder recorder;

    AuditConsumer(AuditRecorder recorder) {
        this.recorder = recorder;
    }

    @Incoming("all-changes")
    @Blocking // ordered (the default): one batch at a time keeps per-key order
    public void consume(ConsumerRecords<String, byte[]> batch) {
        recorder.record(AuditEntry.fromAll(batch));
    }
}
