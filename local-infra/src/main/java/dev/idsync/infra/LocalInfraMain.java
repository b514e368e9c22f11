package dev.idsync.infra;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kafka and PostgreSQL for the local stack ({@code deploy/local/idsync up}): starts both on the
 * contract's ports (19092 and 15432; free ports if those are taken), creates the idsync topics, writes
 * the connection settings to {@code --env-file} (mode 600), prints one ready line and runs until
 * SIGTERM/SIGINT, when it stops both and removes everything it created, the env file included.
 *
 * <pre>
 * java -cp 'local-infra/target/local-infra-0.1.0-SNAPSHOT.jar:local-infra/target/lib/*' \
 *     dev.idsync.infra.LocalInfraMain --env-file /tmp/idsync.env [--work-dir DIR]
 * </pre>
 *
 * Exit codes: 0 after a signal, 1 when the servers cannot start or the broker dies, 2 on a bad command line.
 */
public final class LocalInfraMain {

    static final String READY_PREFIX = "idsync local-infra ready: ";

    private LocalInfraMain() {
    }

    public static void main(String[] args) {
        quietLogging();
        MainArgs parsed;
        try {
            parsed = MainArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(parsed);
        } catch (RuntimeException e) {
            System.err.println("idsync local-infra failed to start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
            return;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.err.println("idsync local-infra stopping");
            stack.close();
            System.err.println("idsync local-infra stopped");
        }, "idsync-local-infra-stop"));

        System.out.println(READY_PREFIX
                + "kafka=" + stack.kafka().bootstrapServers() + " (" + stack.kafka().startupTime().toMillis() + " ms)"
                + " postgres=" + stack.postgres().jdbcUrl() + " (" + stack.postgres().startupTime().toMillis() + " ms)"
                + " env=" + stack.envFile());
        System.out.flush();

        // Block until the broker exits: on shutdown that is our own doing; otherwise it died.
        stack.kafka().terminated().join();
        if (!stopping.get()) {
            System.err.println("idsync local-infra: the Kafka broker exited unexpectedly; its log ends with:");
            System.err.println(tail(stack.kafka().directory().resolve("broker.log"), 40));
            System.exit(1); // the shutdown hook still stops PostgreSQL and cleans up
        }
    }

    private static String tail(java.nio.file.Path file, int lines) {
        try {
            var all = java.nio.file.Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Kafka's INFO chatter hides what matters; only set what the user did not set with -D. */
    private static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.idsync", "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
