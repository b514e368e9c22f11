package dev.idsync.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One JVM started by the benchmark from a built fast-jar: a service or the emulator. Its console goes to
 * {@code <work>/<name>.log}, its GC log (unified logging, every pause with the heap before and after) to
 * {@code <work>/<name>-gc.log}, and with JFR on, a recording to {@code <work>/<name>.jfr} written when it
 * stops. Peak RSS is read from {@code /proc/<pid>/status} (VmHWM) just before it is stopped.
 */
final class ChildJvm implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final java.util.Set<String> LIVES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final String name;
    /** name, or name-2 for a restarted service's second life: its files and its line in the report */
    private final String label;
    private final Process process;
    private final String url;
    private final Path log;
    private final Path gcLog;
    private final long launchedNanos = System.nanoTime();
    private long peakRssKib = -1;
    private long stoppedNanos;

    private ChildJvm(String name, String label, Process process, String url, Path log, Path gcLog) {
        this.name = name;
        this.label = label;
        this.process = process;
        this.url = url;
        this.log = log;
        this.gcLog = gcLog;
    }

    /**
     * @param heap       e.g. {@code -Xmx256m}
     * @param properties system properties ({@code -Dkey=value})
     */
    static ChildJvm start(String name, Path jar, String heap, int port, Map<String, String> env,
            Map<String, String> properties, Path work, boolean jfr) {
        try {
            Files.createDirectories(work);
            Path log = work.resolve(name + ".log");
            // a restarted service's second life gets its own GC log and recording
            int life = 1;
            while (LIVES.contains(name + "#" + life)) {
                life++;
            }
            LIVES.add(name + "#" + life);
            String file = life == 1 ? name : name + "-" + life;
            Path gcLog = work.resolve(file + "-gc.log");
            Files.deleteIfExists(gcLog);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add(heap);
            command.add("-XX:+UseSerialGC");
            command.add("-Xlog:gc:file=" + gcLog + ":uptime");
            if (jfr) {
                command.add("-XX:StartFlightRecording=filename=" + work.resolve(file + ".jfr") + ",settings=profile,dumponexit=true");
            }
            command.add("-Dquarkus.http.host=127.0.0.1");
            command.add("-Dquarkus.http.port=" + port);
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return new ChildJvm(name, file, builder.start(), "http://127.0.0.1:" + port, log, gcLog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
        }
    }

    String name() {
        return name;
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Waits for {@code /q/health/ready}; fails with the log's path when it exits or the time is up. */
    ChildJvm awaitReady(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start (" + process.exitValue() + "); see " + log);
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Sleep.millis(200);
        }
        throw new IllegalStateException(name + " not ready after " + atMost + "; see " + log);
    }

    /** VmHWM of the running process in KiB (the kernel's peak resident set), -1 if unreadable. */
    long readPeakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGTERM (graceful: JFR dumped, consumers leave their group), SIGKILL after 30 s. Keeps peak RSS. */
    @Override
    public synchronized void close() {
        if (stoppedNanos != 0) {
            return;
        }
        if (process.isAlive()) {
            peakRssKib = readPeakRssKib();
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        stoppedNanos = System.nanoTime();
    }

    /** What the JVM used: peak heap and GC time from its GC log, peak RSS from the kernel. */
    JvmUsage usage() {
        long rss = stoppedNanos == 0 ? readPeakRssKib() : peakRssKib;
        double lifetime = ((stoppedNanos == 0 ? System.nanoTime() : stoppedNanos) - launchedNanos) / 1e9;
        GcLog gc = GcLog.read(gcLog);
        return new JvmUsage(label, gc.peakHeapMib(), gc.pauses(), gc.pauseSeconds(), lifetime,
                rss < 0 ? -1 : rss / 1024.0);
    }
}
