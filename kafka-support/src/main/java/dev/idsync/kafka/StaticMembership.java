package dev.idsync.kafka;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Makes every SmallRye Kafka consumer of the service a <em>static</em> group member (KIP-345):
 * {@code group.instance.id = <quarkus.application.name>-<idsync.instance-id>-<channel>} and
 * {@code session.timeout.ms = idsync.kafka.session-timeout} (default 30 s), unless the channel sets them.
 *
 * <p>Why: a consumer killed with {@code kill -9} sends no LeaveGroup. A dynamic member that restarts joins as
 * a new member, and the group cannot finish the rebalance until the dead member's session times out (45 s by
 * default), so nothing of the group is consumed meanwhile. A static member that comes back with the same
 * {@code group.instance.id} takes its old place and its old partitions at once, without a rebalance.
 *
 * <p>The trade-off: a static member also sends no LeaveGroup when it stops <em>gracefully</em>, so an
 * instance that stops and never comes back under the same id (scaled down, a Deployment pod replaced by one
 * with another name) holds its partitions until {@code session.timeout.ms} has passed. 30 s (rather than
 * Kafka's 45 s) keeps that pause short; heartbeats go every 3 s, so a 30 s session survives GC pauses and
 * network blips. The channel suffix keeps the ids of several channels in one group distinct (role-mapper has
 * three in group {@code role-mapper}).
 */
@ApplicationScoped
public class StaticMembership implements ClientCustomizer<Map<String, Object>> {

    public static final String SESSION_TIMEOUT_KEY = "idsync.kafka.session-timeout";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(StaticMembership.class);

    @Override
    public Map<String, Object> customize(String channel, Config config, Map<String, Object> client) {
        if (!client.containsKey("group.id") || !client.containsKey("key.deserializer")) {
            return client; // a producer or an admin client: no group
        }
        Config all = ConfigProvider.getConfig();
        String service = all.getOptionalValue("quarkus.application.name", String.class).orElse("idsync");
        Duration session = all.getOptionalValue(SESSION_TIMEOUT_KEY, Duration.class).orElse(DEFAULT_SESSION_TIMEOUT);
        apply(client, service, InstanceId.of(all), channel, session);
        LOG.infof("channel %s: consumer group %s, static member %s, session timeout %s ms", channel,
                client.get("group.id"), client.get("group.instance.id"), client.get("session.timeout.ms"));
        return client;
    }

    /**
     * The static membership settings of one consumer, unless already set: also for a hand-built
     * {@code KafkaConsumer}, which no SmallRye customizer sees.
     */
    public static Map<String, Object> apply(Map<String, Object> client, String service, String instanceId,
            String channel, Duration sessionTimeout) {
        client.putIfAbsent("group.instance.id", service + "-" + instanceId + "-" + channel);
        client.putIfAbsent("session.timeout.ms", Long.toString(sessionTimeout.toMillis()));
        return client;
    }
}
