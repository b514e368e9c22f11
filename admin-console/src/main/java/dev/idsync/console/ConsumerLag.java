package dev.idsync.console;

import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's Kafka consumer lag, read from its public {@code /q/metrics} (Prometheus text, Micrometer's
 * binding of the Kafka client's own metrics): {@code kafka_consumer_fetch_manager_records_lag}, one gauge
 * per consumer ({@code client_id}, SmallRye's {@code kafka-consumer-<channel>}), topic and partition, is
 * how many records of that partition the consumer's group has yet to read. Per consumer the lag is the
 * <b>sum over its partitions</b> (the records its group is behind on what it consumes), and the service's
 * total the sum over its consumers; the same metric the Grafana dashboard sums per service and topic.
 * A partition that has not fetched yet reports NaN and is left out; a service without consumers (or
 * whose Kafka metrics are not bound yet: Micrometer refreshes them every 60 s) has none.
 */
@TemplateData
public record ConsumerLag(List<Consumer> consumers) {

    static final String METRIC = "kafka_consumer_fetch_manager_records_lag";
    private static final Pattern LINE = Pattern.compile("^" + METRIC + "\\{([^}]*)}\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One consumer of the service: its client id, the topics it reads, and its summed lag. */
    @TemplateData
    public record Consumer(String clientId, List<String> topics, long lag, int partitions) {
    }

    public static ConsumerLag parse(String prometheusText) {
        Map<String, long[]> lagAndPartitions = new TreeMap<>();
        Map<String, TreeSet<String>> topics = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(m.group(2));
            } catch (NumberFormatException e) {
                continue;
            }
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            Map<String, String> labels = labels(m.group(1));
            String client = labels.getOrDefault("client_id", "consumer");
            long[] acc = lagAndPartitions.computeIfAbsent(client, c -> new long[2]);
            acc[0] += Math.max(0, Math.round(value));
            acc[1]++;
            if (labels.containsKey("topic")) {
                topics.computeIfAbsent(client, c -> new TreeSet<>()).add(labels.get("topic"));
            }
        }
        List<Consumer> consumers = new ArrayList<>();
        lagAndPartitions.forEach((client, acc) -> consumers.add(new Consumer(client,
                List.copyOf(topics.getOrDefault(client, new TreeSet<>())), acc[0], (int) acc[1])));
        return new ConsumerLag(List.copyOf(consumers));
    }

    public long total() {
        return consumers.stream().mapToLong(Consumer::lag).sum();
    }

    /** What the overview writes: the total, and per consumer its channel, lag and topics. */
    public String summary() {
        if (consumers.isEmpty()) {
            return "no consumer lag exported";
        }
        StringBuilder s = new StringBuilder().append(total()).append(total() == 1 ? " record" : " records");
        List<String> parts = new ArrayList<>();
        for (Consumer c : consumers) {
            parts.add(c.clientId().replaceFirst("^kafka-consumer-", "") + " " + c.lag() + " on "
                    + String.join(", ", c.topics()));
        }
        return s.append(" (").append(String.join("; ", parts)).append(')').toString();
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        Matcher m = LABEL.matcher(text);
        while (m.find()) {
            labels.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return labels;
    }
}
