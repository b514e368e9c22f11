package dev.idsync.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How {@link LocalKafka} starts its broker.
 *
 * @param preferredPort the client port to use if free (else any free port; {@code 0}: any free port).
 *     The controller listener gets {@code preferredPort + 1} if free, else any free port.
 * @param workRoot where the broker's directory is created (and orphans of killed JVMs are swept)
 * @param jvmOptions options of the broker JVM
 * @param startTimeout how long to wait for the broker to serve clients
 */
public record KafkaSettings(int preferredPort, Path workRoot, List<String> jvmOptions, Duration startTimeout) {

    /** Overrides {@link #DEFAULT_JVM_OPTIONS}, space separated (e.g. the benchmark wants C2 and a bigger heap). */
    public static final String JVM_OPTIONS_PROPERTY = "idsync.kafka.jvm-options";

    /**
     * Tuned for start-up on a small machine, not throughput: C1 only (quicker to ready, less JIT work
     * competing with the tests) and the serial collector (no GC threads for a tiny heap).
     */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");

    public KafkaSettings {
        workRoot = workRoot.toAbsolutePath(); // the broker JVM runs in another working directory
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /** Any free port, the default work root, {@link #DEFAULT_JVM_OPTIONS} unless overridden, 90 s. */
    public static KafkaSettings defaults() {
        String override = System.getProperty(JVM_OPTIONS_PROPERTY);
        List<String> options = override == null || override.isBlank()
                ? DEFAULT_JVM_OPTIONS
                : Arrays.stream(override.trim().split("\\s+")).toList();
        return new KafkaSettings(0, OwnedDirectory.defaultRoot(), options, Duration.ofSeconds(90));
    }

    public KafkaSettings withPreferredPort(int port) {
        return new KafkaSettings(port, workRoot, jvmOptions, startTimeout);
    }

    public KafkaSettings withWorkRoot(Path root) {
        return new KafkaSettings(preferredPort, root, jvmOptions, startTimeout);
    }

    public KafkaSettings withJvmOptions(List<String> options) {
        return new KafkaSettings(preferredPort, workRoot, options, startTimeout);
    }
}
