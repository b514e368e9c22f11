package dev.idsync.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The graph-emulator as a child JVM, for service tests that need Graph and an OIDC issuer: started from
 * the emulator's built fast-jar on free ports (Graph over HTTP, the token authority over HTTPS), with
 * its demo tenant {@code contoso} seeded. The emulator ends itself when this JVM ends, also on kill -9
 * ({@code idsync.emulator.parent-pid}).
 */
public final class LocalEmulator implements AutoCloseable {

    /** Where the emulator's fast-jar is; else it is searched as {@value #JAR_IN_REPO} above the working directory. */
    public static final String JAR_PROPERTY = "idsync.emulator.app";
    static final String JAR_IN_REPO = "graph-emulator/target/quarkus-app/quarkus-run.jar";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final String url;
    private final String authority;
    private final Path truststore;
    private final Path directory;
    private Duration startupTime = Duration.ZERO;

    private LocalEmulator(Process process, String url, String authority, Path truststore, Path directory) {
        this.process = process;
        this.url = url;
        this.authority = authority;
        this.truststore = truststore;
        this.directory = directory;
    }

    public static LocalEmulator start() {
        Path jar = locateJar();
        int httpPort = FreePorts.choose(0);
        int httpsPort = FreePorts.anyExcept(httpPort);
        Path directory;
        try {
            directory = Files.createTempDirectory("idsync-emulator-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path truststore = directory.resolve("truststore.p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=" + FreePorts.HOST,
                "-Dquarkus.http.port=" + httpPort,
                "-Didsync.emulator.https.port=" + httpsPort,
                "-Didsync.emulator.tls.truststore-path=" + truststore,
                "-Didsync.emulator.parent-pid=" + ProcessHandle.current().pid(),
                "-jar", jar.toString()));
        Instant t0 = Instant.now();
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("emulator.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the emulator from " + jar, e);
        }
        String url = "http://" + FreePorts.HOST + ":" + httpPort;
        LocalEmulator emulator = new LocalEmulator(process, url, "https://" + FreePorts.HOST + ":" + httpsPort,
                truststore, directory);
        try {
            emulator.awaitReady();
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        emulator.startupTime = Duration.between(t0, Instant.now());
        return emulator;
    }

    /** Base URL: Graph at {@code <url>/v1.0}, the control API at {@code <url>/_emulator}. */
    public String url() {
        return url;
    }

    /** The HTTPS token authority's base URL (azure-identity insists on HTTPS). */
    public String authority() {
        return authority;
    }

    /** PKCS12 truststore with the authority's self-signed certificate (password {@code changeit}). */
    public Path truststore() {
        return truststore;
    }

    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        OwnedDirectory.deleteRecursively(directory);
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the emulator exited during start (code " + process.exitValue()
                        + "); its log: " + tail(directory.resolve("emulator.log")));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && Files.exists(truststore)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the emulator", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the emulator", e);
            }
        }
        throw new IllegalStateException("the emulator was not ready after " + START_TIMEOUT + "; its log: "
                + tail(directory.resolve("emulator.log")));
    }

    static Path locateJar() {
        Optional<String> configured = Optional.ofNullable(System.getProperty(JAR_PROPERTY));
        if (configured.isPresent()) {
            Path jar = Path.of(configured.get());
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new IllegalStateException(JAR_PROPERTY + "=" + jar + " does not exist");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(JAR_IN_REPO);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("the graph-emulator is not built: no " + JAR_IN_REPO + " above "
                + Path.of("").toAbsolutePath() + ". Build it first: ./mvnw -B -pl graph-emulator -am package -DskipTests"
                + " (or set -D" + JAR_PROPERTY + "=<path to quarkus-run.jar>)");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
