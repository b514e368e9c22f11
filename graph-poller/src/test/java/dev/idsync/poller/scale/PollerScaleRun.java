package dev.idsync.poller.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.api.Roles;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphAccessConfig;
import dev.idsync.graph.RetryPolicy;
import dev.idsync.graph.delta.DeltaPage;
import dev.idsync.graph.delta.DeltaPageFetcher;
import dev.idsync.graph.delta.DeltaQuery;
import dev.idsync.graph.delta.DeltaRequestOptions;
import dev.idsync.graph.delta.DeltaResource;
import dev.idsync.infra.IdsyncTopics;
import dev.idsync.infra.KafkaSettings;
import dev.idsync.infra.LocalKafka;
import dev.idsync.infra.LocalPostgres;
import dev.idsync.infra.test.EmulatorControl;
import dev.idsync.infra.test.TestTokens;
import dev.idsync.config.SelectDefaults;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the poller alone at scale (issue 17), by hand, not part of the suite: local-infra's broker and
 * PostgreSQL, the emulator's demo tenant seeded at the given size as a child JVM, and the built graph-poller
 * fast-jar as a child JVM with the production heap ({@code -Xmx256m -XX:+UseSerialGC}). Each round starts a
 * fresh poller JVM (as an initial sync would meet it), starts a full run (an initial query of every
 * resource, the same work as the first sync) over the API and waits for it; it reports the run's time,
 * pages, events, the poller's peak RSS and GC pauses, and checks the counts against the emulator. With
 * {@code --emulator-only} it first pages the same deltas with graph-access alone (no Kafka): the floor. With
 * several {@code --poller-jar}s they take turns run by run (A, B, A, B, ...), so a shared machine's changing
 * load meets each alike.
 *
 * <pre>
 * ./mvnw -B -o -q install -DskipTests -pl graph-poller,graph-emulator -am
 * ./mvnw -B -o -q dependency:build-classpath -pl graph-poller -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 * java -cp graph-poller/target/test-classes:graph-poller/target/classes:$(cat /tmp/cp.txt) \
 *     dev.idsync.poller.scale.PollerScaleRun --users 100000 --groups 10000 --memberships 1000000 --runs 3 \
 *     [--emulator-only] [--jfr target/jfr] [--xmx 256m] [--poller-jar before/quarkus-run.jar,after/quarkus-run.jar]
 * </pre>
 */
public final class PollerScaleRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "contoso";
    private static final String SECRET = "scale-run-only";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int users = Integer.parseInt(opts.getOrDefault("users", "100000"));
        int groups = Integer.parseInt(opts.getOrDefault("groups", "10000"));
        int memberships = Integer.parseInt(opts.getOrDefault("memberships", "1000000"));
        int roles = Integer.parseInt(opts.getOrDefault("roles", "8"));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
        String xmx = opts.getOrDefault("xmx", "256m");
        Path repo = Path.of(opts.getOrDefault("repo", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("poller-scale-");
        Path jfr = opts.containsKey("jfr") ? Path.of(opts.get("jfr")).toAbsolutePath() : null;

        System.out.printf("load before: %s%n", loadAverage());
        // The local stack's broker options (C2, 1 GiB); both under local-infra's own work root, whose
        // permissions PostgreSQL's unprivileged user can traverse.
        KafkaSettings kafkaSettings = KafkaSettings.defaults()
                .withJvmOptions(List.of("-Xms128m", "-Xmx1g", "-Djava.awt.headless=true"));
        try (LocalKafka kafka = LocalKafka.start(kafkaSettings);
             LocalPostgres postgres = LocalPostgres.start(0)) {
            kafka.createTopics(IdsyncTopics.specs());
            int http = freePort();
            int https = freePort();
            Path truststore = work.resolve("truststore.p12");
            Instant seedStart = Instant.now();
            Process emulator = start(work.resolve("emulator.log"), null, List.of("-Xmx2g", "-XX:+UseParallelGC",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + http,
                    "-Didsync.emulator.https.port=" + https, "-Didsync.emulator.tls.truststore-path=" + truststore,
                    "-Didsync.emulator.parent-pid=" + ProcessHandle.current().pid(),
                    "-Didsync.emulator.demo.users=" + users, "-Didsync.emulator.demo.groups=" + groups,
                    "-Didsync.emulator.demo.memberships=" + memberships, "-Didsync.emulator.demo.directory-roles=" + roles,
                    "-Didsync.emulator.demo.client-secret=" + SECRET,
                    "-jar", repo.resolve("graph-emulator/target/quarkus-app/quarkus-run.jar").toString()), Map.of());
            try {
                String emulatorUrl = "http://127.0.0.1:" + http;
                awaitReady(emulatorUrl, emulator, Duration.ofMinutes(5));
                while (!Files.exists(truststore)) {
                    Thread.sleep(100);
                }
                JsonNode tenant = EmulatorControl.at(emulatorUrl).get("/_emulator/tenants/" + TENANT);
                System.out.printf("emulator ready with the demo tenant after %d ms: %s%n",
                        Duration.between(seedStart, Instant.now()).toMillis(), tenant.path("counts"));

                if (opts.containsKey("emulator-only")) {
                    pageAlone(emulatorUrl, "https://127.0.0.1:" + https, truststore);
                }

                Path config = work.resolve("idsync.yaml");
                Files.writeString(config, """
                        idsync:
                          tenants:
                            contoso:
                              name: Contoso
                              client-id: idsync-local
                              client-secret-env: IDSYNC_CONTOSO_CLIENT_SECRET
                              authority-host: https://127.0.0.1:%d
                              graph-base-url: http://127.0.0.1:%d
                              schedule:
                                enabled: false
                        """.formatted(https, http));
                Map<String, String> env = Map.of(
                        "IDSYNC_CONFIG", config.toString(),
                        "IDSYNC_DB_URL", postgres.jdbcUrl(), "IDSYNC_DB_USER", postgres.username(),
                        "IDSYNC_DB_PASSWORD", postgres.password(),
                        "IDSYNC_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                        "IDSYNC_CONTOSO_CLIENT_SECRET", SECRET,
                        "IDSYNC_OIDC_ISSUER", emulatorUrl + "/" + TENANT + "/v2.0",
                        "IDSYNC_POLLER_TRUST_STORE_PATH", truststore.toString(),
                        "IDSYNC_POLLER_TRUST_STORE_PASSWORD", "changeit");
                String token = TestTokens.bearer(emulatorUrl, Roles.ADMIN);
                // Several builds (e.g. before and after a change) take turns, run by run, so a machine whose
                // load changes over the minutes treats them alike.
                // Each entry: a jar, optionally followed by JVM options after '|' (e.g. another compression).
                List<String> jars = opts.containsKey("poller-jar") ? List.of(opts.get("poller-jar").split(","))
                        : List.of(repo.resolve("graph-poller/target/quarkus-app/quarkus-run.jar").toString());
                List<String> lines = new ArrayList<>();
                for (int i = 1; i <= runs; i++) {
                    for (int j = 0; j < jars.size(); j++) {
                        String label = jars.size() == 1 ? String.valueOf(i) : i + "/" + (char) ('A' + j);
                        lines.add(round(label, jars.get(j), work, env, xmx, jfr, token, tenant));
                    }
                }
                if (jars.size() > 1) {
                    for (int j = 0; j < jars.size(); j++) {
                        lines.add((char) ('A' + j) + " = " + jars.get(j));
                    }
                }
                System.out.printf("%nload after: %s%n", loadAverage());
                lines.forEach(System.out::println);
            } finally {
                stop(emulator);
            }
        }
    }

    /** One fresh poller JVM, one full run. */
    private static String round(String n, String variant, Path work, Map<String, String> env, String xmx, Path jfr, String token,
                                JsonNode tenant) throws Exception {
        int port = freePort();
        String file = n.replace('/', '-');
        Path gcLog = work.resolve("poller-gc-" + file + ".log");
        List<String> command = new ArrayList<>(List.of("-Xmx" + xmx, "-XX:+UseSerialGC",
                "-Xlog:gc:file=" + gcLog, "-Dquarkus.http.port=" + port, "-Didsync.poller.scheduler.enabled=false"));
        if (jfr != null) {
            Files.createDirectories(jfr);
            command.add("-XX:StartFlightRecording=filename=" + jfr.resolve("poller-" + file + ".jfr") + ",settings=profile");
        }
        List<String> parts = List.of(variant.split("\\|"));
        command.addAll(parts.subList(1, parts.size()));
        command.addAll(List.of("-jar", Path.of(parts.get(0)).toAbsolutePath().toString()));
        Process poller = start(work.resolve("poller-" + file + ".log"), null, command, env);
        try {
            String base = "http://127.0.0.1:" + port;
            awaitReady(base, poller, Duration.ofMinutes(2));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tenants/" + TENANT
                            + "/sync-runs")).header("Authorization", token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"full\"}")).build(), HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                throw new IllegalStateException("run not started: " + started.statusCode() + " " + started.body());
            }
            String runId = JSON.readTree(started.body()).path("runId").asText();
            JsonNode run;
            long peakRss = 0;
            do {
                Thread.sleep(250);
                peakRss = Math.max(peakRss, vmHwmKiB(poller.pid()));
                run = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/tenants/" + TENANT
                        + "/sync-runs/" + runId)).header("Authorization", token).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } while ("running".equals(run.path("state").asText()));
            peakRss = Math.max(peakRss, vmHwmKiB(poller.pid()));
            long millis = run.path("durationMillis").asLong();
            JsonNode counts = run.path("counts");
            long events = 0;
            for (var it = counts.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().contains(".") && !e.getKey().startsWith("pages.")) {
                    events += e.getValue().asLong();
                }
            }
            String check = counts.path("user.upserted").asLong() == tenant.path("counts").path("users").asLong()
                    && counts.path("group.upserted").asLong() == tenant.path("counts").path("groups").asLong()
                    ? "counts match the emulator" : "COUNTS DIFFER from the emulator " + tenant.path("counts");
            double gcMillis = gcPauseMillis(gcLog);
            String line = "run %s: %s in %,d ms, %d pages, %,d events = %,.0f events/s; poller peak RSS %d MiB, GC pauses %.0f ms (%.1f %%); %s; counts %s"
                    .formatted(n, run.path("state").asText(), millis, run.path("pages").asLong(), events,
                            events * 1000.0 / millis, peakRss / 1024, gcMillis, 100.0 * gcMillis / millis, check, counts);
            System.out.println(line);
            return line;
        } finally {
            stop(poller);
        }
    }

    /** The deltas paged by graph-access alone, nothing published: what the emulator and HTTP cost. */
    private static void pageAlone(String graph, String authority, Path truststore) {
        GraphAccess access = GraphAccess.connect(GraphAccessConfig.builder(TENANT, "idsync-local", SECRET)
                .authorityHost(URI.create(authority)).graphBaseUrl(URI.create(graph + "/v1.0"))
                .requestTimeout(Duration.ofSeconds(60)).retry(RetryPolicy.defaults()).trustStore(truststore, "changeit")
                .build());
        DeltaPageFetcher pages = access.deltaPages();
        for (DeltaResource resource : List.of(DeltaResource.USERS, DeltaResource.GROUPS)) {
            Instant t0 = Instant.now();
            URI url = DeltaQuery.initial(access.graphBaseUrl(), resource, resource == DeltaResource.USERS
                    ? SelectDefaults.USERS : SelectDefaults.GROUPS);
            long items = 0;
            long links = 0;
            int n = 0;
            while (true) {
                DeltaPage page = (DeltaPage) pages.fetch(url, new DeltaRequestOptions(200, false));
                n++;
                items += page.items().size();
                links += page.items().stream().mapToLong(i -> i.membersDelta().size()).sum();
                if (page.nextLink().isEmpty()) {
                    break;
                }
                url = page.nextLink().get();
            }
            System.out.printf("graph-access alone: %s %d pages, %,d items, %,d member links in %,d ms%n", resource, n,
                    items, links, Duration.between(t0, Instant.now()).toMillis());
        }
    }

    private static Process start(Path log, Path dir, List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitReady(String base, Process process, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(base + ": the process exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(base + " not ready after " + timeout);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long vmHwmKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return 0;
    }

    /** The sum of the pauses in a {@code -Xlog:gc} file ("... Pause Young (Allocation Failure) 60M->20M(245M) 3.123ms"). */
    private static double gcPauseMillis(Path log) throws IOException {
        Pattern pause = Pattern.compile("Pause.* ([0-9.]+)ms");
        double total = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = pause.matcher(line);
            if (m.find()) {
                total += Double.parseDouble(m.group(1));
            }
        }
        return total;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                opts.put(name, args[++i]);
            } else {
                opts.put(name, "true");
            }
        }
        return opts;
    }
}
