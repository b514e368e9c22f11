package dev.idsync.infra;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The broker JVM ({@link KafkaBrokerMain}) seen from its parent: launched with this JVM's class path,
 * output to {@code broker.log} in its directory, kept alive by an open standard-input pipe.
 */
final class BrokerProcess {

    private static final String LOG = "broker.log";
    private static final String READY = "ready";
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);
    private static final Duration TERM_STOP = Duration.ofSeconds(10);

    private final Process process;
    private final OutputStream stdin;
    private final Path dir;
    /** One future for all callers: each onExit() call returns a new one, completed asynchronously. */
    private final CompletableFuture<Process> exit;

    private BrokerProcess(Process process, Path dir) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.dir = dir;
        this.exit = process.onExit();
    }

    /** Writes {@code server.properties} into {@code dir} and starts the broker JVM on it. */
    static BrokerProcess launch(Path dir, KRaftProperties config, List<String> jvmOptions) {
        Path props = dir.resolve("server.properties");
        try {
            Files.deleteIfExists(dir.resolve(READY));
            try (var out = Files.newOutputStream(props)) {
                config.toProperties().store(out, "idsync local-infra broker");
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            // Read when slf4j-simple is the binding (the standalone main, this module's tests): the broker
            // is chatty at INFO, and a failed start still shows its ERRORs and stack trace in broker.log.
            command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            command.add("-cp");
            command.add(classPath());
            command.add(KafkaBrokerMain.class.getName());
            command.add(props.toString());
            command.add(dir.resolve(READY).toString());
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG).toFile()))
                    .start();
            return new BrokerProcess(process, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker JVM", e);
        }
    }

    /**
     * Blocks until the broker serves clients.
     *
     * @throws PortTakenException if it lost a race for its ports (the caller retries on other ports)
     * @throws IllegalStateException if it died or did not get ready in time, with its log's tail
     */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path ready = dir.resolve(READY);
        try {
            // A bounded wait for a file the child creates atomically; nothing to block on instead.
            while (!Files.exists(ready)) {
                if (process.waitFor(25, TimeUnit.MILLISECONDS)) {
                    String tail = logTail();
                    if (tail.contains("Address already in use")) {
                        throw new PortTakenException(tail);
                    }
                    throw new IllegalStateException("the Kafka broker JVM exited with " + process.exitValue()
                            + " before it was ready; " + dir.resolve(LOG) + " ends with:\n" + tail);
                }
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("the Kafka broker was not ready within " + timeout
                            + "; its log ends with:\n" + logTail());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while the broker started", e);
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    CompletableFuture<Process> onExit() {
        return exit;
    }

    /** Closes the pipe (the broker shuts down cleanly), escalating to signals if it hangs. */
    void stop() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already closed: the broker sees end-of-file either way
        }
        try {
            if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(TERM_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            exit.join(); // completes on another thread just after waitFor returns
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(LOG));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * This JVM's class path, absolute: it holds the broker (kafka_2.13 is a dependency of this module).
     * Under Surefire it may be a single manifest-only jar, which the child JVM expands the same way.
     */
    private static String classPath() {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (system.getResource("kafka/server/KafkaRaftServer.class") == null
                || system.getResource(KafkaBrokerMain.class.getName().replace('.', '/') + ".class") == null) {
            throw new IllegalStateException("the Kafka broker classes (org.apache.kafka:kafka_2.13) and "
                    + "dev.idsync:local-infra must be on the JVM class path (java.class.path) to start a broker JVM");
        }
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The broker could not bind a port that was free a moment earlier. */
    static final class PortTakenException extends RuntimeException {
        PortTakenException(String log) {
            super("port taken:\n" + log);
        }
    }
}
