package dev.idsync.systemtests.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One idsync service started from its built fast-jar as a child JVM on a free port, with the
 * environment and system properties the stack gives it; its console goes to a log file under target/.
 * Small JVM settings, since all services share the machine's two cores with the broker and PostgreSQL.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final String url;
    private final Path log;
    private final Process watchdog;
    private Duration startupTime = Duration.ZERO;

    private ServiceProcess(String name, Process process, String url, Path log) {
        this.name = name;
        this.process = process;
        this.url = url;
        this.log = log;
        this.watchdog = watchdog(process.pid());
    }

    /**
     * Ends the service when this test JVM ends without running its shutdown hooks (surefire's timeout
     * kills it with SIGKILL): a forgotten service would go on consuming the shared machine's cores.
     */
    private static Process watchdog(long child) {
        long parent = ProcessHandle.current().pid();
        String script = "while kill -0 " + parent + " 2>/dev/null && kill -0 " + child + " 2>/dev/null; do sleep 2; done; "
                + "if kill -0 " + child + " 2>/dev/null; then kill -TERM " + child + "; sleep 20; kill -KILL " + child
                + " 2>/dev/null; fi";
        try {
            return new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog of pid " + child, e);
        }
    }

    /**
     * Starts the module's fast-jar from a private copy of its quarkus-app directory (taken once per test
     * JVM), so a rebuild of the module while the scenarios run cannot pull the classes from under it;
     * call {@link #awaitReady()} before using it.
     */
    public static ServiceProcess start(String name, String module, Map<String, String> env,
            Map<String, String> properties, Path logDirectory) {
        Path jar = privateCopy(module, logDirectory.resolve("apps"));
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            Files.writeString(log, "=== " + Instant.now() + " starting " + name + " on port " + port + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return new ServiceProcess(name, builder.start(), "http://127.0.0.1:" + port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
        }
    }

    /** Waits for /q/health/ready; fails with the log's tail when the JVM exits or the time is up. */
    public ServiceProcess awaitReady() {
        Instant t0 = Instant.now();
        Instant deadline = t0.plus(READY_TIMEOUT);
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start (code " + process.exitValue() + "); log "
                        + log + ":\n" + tail(60));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    startupTime = Duration.between(t0, Instant.now());
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + READY_TIMEOUT + "; log " + log + ":\n" + tail(60));
    }

    public String name() {
        return name;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    public Duration startupTime() {
        return startupTime;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the service's log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * {@code kill -9}: the JVM ends at once, with no shutdown hooks, no consumer leaving its group, no
     * transaction committed or rolled back by the service itself. Returns once the process is gone.
     */
    public void kill() {
        watchdog.destroy();
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        if (process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL");
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Whether /q/health/ready answers 200 now. */
    public boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (a graceful Quarkus shutdown: consumers leave their group), then SIGKILL after 30 s. */
    @Override
    public void close() {
        watchdog.destroy();
        if (!process.isAlive()) {
            return;
        }
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

    /** {@code <module>/target/quarkus-app/quarkus-run.jar} in the first directory above the working one that has it. */
    static Path locateJar(String module) {
        String relative = module + "/target/quarkus-app/quarkus-run.jar";
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(relative);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("no " + relative + " above " + Path.of("").toAbsolutePath()
                + ": build the services first (./mvnw -B package -DskipTests)");
    }

    private static synchronized Path privateCopy(String module, Path apps) {
        Path source = locateJar(module).getParent();
        Path target = apps.resolve(module);
        Path jar = target.resolve("quarkus-run.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        try (var files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
        return jar;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
