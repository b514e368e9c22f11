package dev.idsync.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * The main of the broker JVM that {@link LocalKafka} starts: formats the storage, starts a
 * {@link KafkaRaftServer}, signals readiness by creating a file, and stops the broker cleanly when its
 * standard input closes.
 *
 * <p>Why standard input: the parent holds the other end of the pipe, and the kernel closes it however
 * the parent ends, {@code kill -9} included, so the broker can never outlive the JVM that started it.
 *
 * <p>Usage: {@code KafkaBrokerMain <server.properties> <ready-file>}
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <server.properties> <ready-file>");
            System.exit(2);
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            props.load(in);
        }
        Path readyFile = Path.of(args[1]);
        // Watch the pipe from the start: a parent that dies while the broker is still starting must not
        // leave it running either.
        Thread watcher = new Thread(KafkaBrokerMain::exitWhenStdinCloses, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            format(props);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdown();
                server.awaitShutdown();
            }, "kafka-broker-shutdown"));
            // Returns once the broker is registered, unfenced and serving clients.
            server.startup();
            signalReady(readyFile);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        // main ends here; the broker's own (non-daemon) threads keep the JVM running until the pipe closes
    }

    private static void format(Properties props) throws Exception {
        // Same steps as `kafka-storage.sh format -t <random-uuid> -c server.properties`, in-process to
        // save a second JVM start. The release version defaults to the latest production one.
        String logDir = props.getProperty("log.dirs");
        if (Files.exists(Path.of(logDir, "meta.properties"))) {
            return; // a restart in place (LocalKafka.startBroker): the formatted directory keeps its cluster id and data
        }
        new Formatter()
                .setPrintStream(new PrintStream(System.out, true))
                .setNodeId(KRaftProperties.NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(KRaftProperties.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(logDir)
                .addDirectory(logDir)
                .run();
    }

    private static void signalReady(Path readyFile) throws IOException {
        Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()));
        Files.move(tmp, readyFile, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void exitWhenStdinCloses() {
        byte[] buffer = new byte[64];
        try {
            while (System.in.read(buffer) != -1) {
                // nothing is ever sent; we only wait for end-of-file
            }
        } catch (IOException e) {
            // a broken pipe means the same as end-of-file: the parent is gone
        }
        System.exit(0); // runs the shutdown hook: a clean broker shutdown
    }
}
