package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The local stack as a new user meets it when something already listens on idsync's default ports (a
 * second stack, anything on 8081): {@code deploy/local/idsync up} must give every service its own free
 * port, not the same "next free" one to all, and still end with the demo tenant synced.
 */
class LocalStackUpWithDefaultPortsTakenTest {

    /**
     * CONTRACT.md's default ports (the five services, the admin console, the emulator and its HTTPS token authority, Kafka and its
     * controller, PostgreSQL) and the ones just above them, where a naive "next free port" would land.
     */
    private static final List<Integer> DEFAULT_PORTS = List.of(8081, 8082, 8083, 8084, 8085, 8086, 8087, 8090, 8091,
            8453, 8454, 19092, 19093, 15432);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void up_with_the_default_ports_taken_gives_every_service_its_own_free_port_and_syncs_the_demo_tenant()
            throws Exception {
        Path run = Path.of("target/local-stack-run").toAbsolutePath();
        Path out = Path.of("target/local-stack-up.log").toAbsolutePath();
        List<ServerSocket> occupied = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        try {
            for (int port : DEFAULT_PORTS) {
                try {
                    occupied.add(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()));
                } catch (IOException alreadyInUse) {
                    // someone else holds it: taken all the same
                }
                taken.add(port);
            }
            Instant t0 = Instant.now();
            int exit = idsync(run, out, Duration.ofMinutes(6), "up", "--no-build");
            String log = Files.readString(out);
            assertThat(exit).as("deploy/local/idsync up exit code; its output:%n%s", log).isZero();
            System.out.printf("SYSTEM-TESTS local stack up with the default ports taken: %d ms%n",
                    Duration.between(t0, Instant.now()).toMillis());

            Map<String, Integer> ports = new HashMap<>();
            try (Stream<Path> files = Files.list(run.resolve("ports"))) {
                for (Path file : files.toList()) {
                    ports.put(file.getFileName().toString(), Integer.parseInt(Files.readString(file).trim()));
                }
            }
            assertThat(ports).containsOnlyKeys("emulator", "poller", "processor", "role-mapper", "writer", "audit", "console");
            assertThat(new HashSet<>(ports.values())).as("one port per service: %s", ports).hasSameSizeAs(ports.values());
            assertThat(ports.values()).as("no service on a port that was taken: %s", ports).doesNotContainAnyElementsOf(taken);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (var service : ports.entrySet()) {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + service.getValue() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(health.statusCode()).as("%s ready", service.getKey()).isEqualTo(200);
            }
            assertThat(log).contains("processor store after");
        } finally {
            idsync(run, Path.of("target/local-stack-down.log").toAbsolutePath(), Duration.ofMinutes(2), "down");
            for (ServerSocket socket : occupied) {
                socket.close();
            }
        }
    }

    private static int idsync(Path run, Path out, Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/local/idsync").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("IDSYNC_RUN_DIR", run.toString());
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deploy/local/idsync " + String.join(" ", args) + " did not end within " + timeout
                    + "; output:\n" + Files.readString(out));
        }
        return process.exitValue();
    }
}
