package dev.idsync.infra;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The configuration of a single-node KRaft broker in combined mode (broker and controller in one
 * process) on the loopback address.
 *
 * @param port the client listener
 * @param controllerPort the KRaft controller listener
 * @param logDir the one log directory (metadata log included)
 */
record KRaftProperties(int port, int controllerPort, Path logDir) {

    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int NODE_ID = 1;

    String bootstrapServers() {
        return FreePorts.HOST + ":" + port;
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        // Static quorum of one voter; the storage is formatted without --standalone to match.
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + FreePorts.HOST + ":" + controllerPort);
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("listeners",
                "PLAINTEXT://" + FreePorts.HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + FreePorts.HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + FreePorts.HOST + ":" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        // One node: every internal topic must make do with one replica, or transactions, consumer groups
        // and share groups never get their coordinators.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("min.insync.replicas", "1");
        // The defaults (50 partitions each) make the first group join / first transaction wait for 50
        // partitions to be created; a handful keeps coordinators spread without that cost.
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.num.partitions", "3");
        // Tests start consumers and expect their assignment now, not after the 3 s grace period.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", Integer.toString(IdsyncTopics.PARTITIONS));
        // The log cleaner sleeps this long whenever no log needs cleaning (default 15 s). Short, so a test
        // that waits for compaction of a compacted topic (IdsyncTopics.compactedConfig) waits about a
        // second, not up to 15; an idle check costs next to nothing.
        p.setProperty("log.cleaner.backoff.ms", "200");
        return p;
    }
}
