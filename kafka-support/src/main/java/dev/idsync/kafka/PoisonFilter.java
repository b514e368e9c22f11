package dev.idsync.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * What a consumer does with a poll batch before applying it: judges every record ({@link EventTriage}),
 * sends the poison ones to the dead-letter topic ({@link DeadLetters}) and returns the readable ones in
 * batch order; tombstones (null values) are skipped, idsync publishes none. Also the one place a record
 * the database refused for good is dead-lettered, so every reason is counted and logged alike.
 */
@ApplicationScoped
public class PoisonFilter {

    private final EventTriage triage;
    private final DeadLetters deadLetters;

    PoisonFilter(EventTriage triage, DeadLetters deadLetters) {
        this.triage = triage;
        this.deadLetters = deadLetters;
    }

    /** The readable records of {@code records}, in order; the poison ones are dead-lettered on the way. */
    public List<Readable> readable(Iterable<ConsumerRecord<String, byte[]>> records, String group) {
        List<Readable> readable = new ArrayList<>();
        List<DeadLetters.Letter> letters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null) {
                continue;
            }
            EventTriage.Verdict verdict = triage.judge(record);
            if (verdict.isPoison()) {
                letters.add(new DeadLetters.Letter(record, verdict.poison(), group));
            } else {
                readable.add(new Readable(record, verdict.event()));
            }
        }
        deadLetters.send(letters);
        return readable;
    }

    /** {@link #readable(Iterable, String)} for a SmallRye batch. */
    public List<Readable> readable(ConsumerRecords<String, byte[]> records, String group) {
        return readable((Iterable<ConsumerRecord<String, byte[]>>) records, group);
    }

    /** Dead-letters a record the database refused for good ({@code dev.idsync.db.DatabaseRefusal}). */
    public void refusedByDatabase(ConsumerRecord<String, byte[]> record, String reason, String group) {
        deadLetters.send(record, new Poison(PoisonReason.REFUSED_BY_DATABASE, reason), group);
    }
}
