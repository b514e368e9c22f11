package dev.idsync.bench.e2e;

import dev.idsync.infra.IdsyncTopics;
import dev.idsync.infra.KafkaSettings;
import dev.idsync.infra.LocalKafka;
import dev.idsync.infra.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the benchmark runs on: local-infra's broker (idsync's topics as {@link IdsyncTopics#specs()} creates
 * them) and PostgreSQL, the graph-emulator with its demo tenant seeded at the benchmark's size, and the
 * services that take part in a sync (graph-poller, delta-processor, role-mapper, audit-log) from their
 * built fast-jars, configured as the local stack configures them (deploy/local/idsync). profile-writer is
 * left out: nothing of a sync passes through it, and it would only take the two cores' time.
 */
final class BenchStack implements AutoCloseable {

    static final String TENANT = "contoso";
    static final String POLLER = "graph-poller";
    static final String PROCESSOR = "delta-processor";
    static final String ROLE_MAPPER = "role-mapper";
    static final String AUDIT = "audit-log";
    static final String EMULATOR = "graph-emulator";
    /** The emulator demo tenant's default secret: it opens only the in-memory fake. */
    private static final String DEMO_SECRET = "local-emulator-only";
    /** The clientState of the bench tenant's subscriptions (only the emulator and the poller see it). */
    private static final String CLIENT_STATE = "bench-client-state-" + java.util.UUID.randomUUID();
    private static final List<String> BROKER_JVM = List.of("-Xms128m", "-Xmx1g", "-Djava.awt.headless=true");
    private static final Duration READY = Duration.ofMinutes(4);

    private final E2eOptions options;
    private final Path work;
    private final Set<Integer> ports = new HashSet<>();
    private final LocalKafka kafka;
    private final LocalPostgres postgres;
    private final ChildJvm emulator;
    private final int httpsPort;
    private final Path truststore;
    private final Map<String, ChildJvm> services = new LinkedHashMap<>();
    private final List<JvmUsage> stopped = new ArrayList<>();
    private boolean closed;

    private BenchStack(E2eOptions options, LocalKafka kafka, LocalPostgres postgres) {
        this.options = options;
        this.work = options.work();
        this.kafka = kafka;
        this.postgres = postgres;
        int http = freePort();
        this.httpsPort = freePort();
        this.truststore = work.resolve("emulator-truststore.p12");
        try {
            Files.deleteIfExists(truststore);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("idsync.emulator.https.port", Integer.toString(httpsPort));
        props.put("idsync.emulator.tls.truststore-path", truststore.toString());
        props.put("idsync.emulator.parent-pid", Long.toString(ProcessHandle.current().pid()));
        props.put("idsync.emulator.demo.users", Integer.toString(options.users()));
        props.put("idsync.emulator.demo.groups", Integer.toString(options.groups()));
        props.put("idsync.emulator.demo.memberships", Integer.toString(options.memberships()));
        props.put("idsync.emulator.demo.directory-roles", Integer.toString(options.roles()));
        props.put("idsync.emulator.demo.seed", Long.toString(options.seed()));
        this.emulator = ChildJvm.start(EMULATOR, jar("graph-emulator"), "-Xmx2g", http, Map.of(), props, work, options.jfr());
    }

    static BenchStack start(E2eOptions options) {
        LocalKafka kafka = LocalKafka.start(KafkaSettings.defaults().withPreferredPort(0).withJvmOptions(BROKER_JVM));
        LocalPostgres postgres = null;
        try {
            postgres = LocalPostgres.start(0);
            kafka.createTopics(IdsyncTopics.specs());
            BenchStack stack = new BenchStack(options, kafka, postgres);
            // Ctrl-C or a kill: the child JVMs, the broker and PostgreSQL (a daemon of its own) go too.
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-stop-stack"));
            try {
                stack.emulator.awaitReady(READY);
                while (!Files.exists(stack.truststore)) {
                    Sleep.millis(100);
                }
                stack.writeConfig();
                for (String name : List.of(POLLER, PROCESSOR, ROLE_MAPPER, AUDIT)) {
                    stack.services.put(name, stack.launch(name));
                }
                for (ChildJvm service : stack.services.values()) {
                    service.awaitReady(READY);
                }
                return stack;
            } catch (RuntimeException e) {
                stack.close();
                throw e;
            }
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            kafka.close();
            throw e;
        }
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    String dbUser() {
        return postgres.username();
    }

    String dbPassword() {
        return postgres.password();
    }

    /** PostgreSQL's server log (postgres.log in local-infra's cluster directory). */
    Path postgresLog() {
        return postgres.directory().resolve("postgres.log");
    }

    /**
     * Diagnostics: PostgreSQL logs every statement slower than this (the application role may not set it,
     * so it goes into the cluster's configuration and the server is told to reload it with SIGHUP).
     */
    void logStatementsOver(int millis) {
        try {
            Path data = postgres.directory().resolve("data");
            Files.writeString(data.resolve("postgresql.conf"), "\nlog_min_duration_statement = " + millis + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            String pid = Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim();
            new ProcessBuilder("kill", "-HUP", pid).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String emulatorUrl() {
        return emulator.url();
    }

    ChildJvm service(String name) {
        ChildJvm s = services.get(name);
        if (s == null || !s.isAlive()) {
            throw new IllegalStateException(name + " is not running; see " + (s == null ? "-" : s.log()));
        }
        return s;
    }

    /** Stops the service (its usage so far is kept for the report), runs {@code whileStopped}, starts it again. */
    ChildJvm restart(String name, Runnable whileStopped) {
        ChildJvm old = services.get(name);
        old.close();
        stopped.add(old.usage());
        whileStopped.run();
        ChildJvm started = launch(name).awaitReady(READY);
        services.put(name, started);
        return started;
    }

    /** Launches a service without waiting for it to be ready. */
    ChildJvm launchOnly(String name, Runnable whileStopped) {
        ChildJvm old = services.get(name);
        old.close();
        stopped.add(old.usage());
        whileStopped.run();
        ChildJvm started = launch(name);
        services.put(name, started);
        return started;
    }

    /** Every JVM's usage: the emulator, the running services, and earlier lives of restarted ones. */
    List<JvmUsage> usage() {
        List<JvmUsage> all = new ArrayList<>();
        all.add(emulator.usage());
        services.values().forEach(s -> all.add(s.usage()));
        all.addAll(stopped);
        return all;
    }

    /** Ends every JVM (so JFR recordings are written) and returns their usage. */
    List<JvmUsage> stopJvms() {
        new ArrayList<>(services.values()).reversed().forEach(ChildJvm::close);
        emulator.close();
        return usage();
    }

    private ChildJvm launch(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IDSYNC_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("IDSYNC_DB_URL", postgres.jdbcUrl());
        env.put("IDSYNC_DB_USER", postgres.username());
        env.put("IDSYNC_DB_PASSWORD", postgres.password());
        env.put("IDSYNC_CONFIG", work.resolve("idsync.yaml").toString());
        env.put("IDSYNC_CONTOSO_CLIENT_SECRET", DEMO_SECRET);
        env.put("IDSYNC_OIDC_ISSUER", emulator.url() + "/" + TENANT + "/v2.0");
        Map<String, String> props = new LinkedHashMap<>();
        // On a machine shared with other builds (load 30 on two cores) Flyway's first connection at start-up
        // took longer than the pool's default 5 s and the service gave up.
        props.put("quarkus.datasource.jdbc.acquisition-timeout", "60S");
        switch (name) {
            case POLLER -> {
                props.put("idsync.poller.trust-store.path", truststore.toString());
                props.put("idsync.poller.trust-store.password", "changeit");
                // Runs only when the benchmark starts them (or, with --notifications, a notification does).
                props.put("idsync.poller.scheduler.enabled", "false");
                env.put("IDSYNC_GRAPH_NOTIFICATION_CLIENT_STATE", CLIENT_STATE);
                props.put("idsync.poller.notifications.check-every", "1s");
            }
            case ROLE_MAPPER -> {
                env.put("IDSYNC_GRAPH_TRUSTSTORE", truststore.toString());
                env.put("IDSYNC_LOGIN_ISSUER_BASE_URL", emulator.url());
            }
            case AUDIT -> props.put("audit.retention.every", "off");
            default -> { }
        }
        return ChildJvm.start(name, jar(name), options.serviceHeap(), freePort(), env, props, work, options.jfr());
    }

    /** The demo tenant on the emulator, no schedule (as the local stack's idsync.yaml, without its 15 m schedule). */
    private void writeConfig() {
        String yaml = """
                # written by bench's E2eBench for this run
                idsync:
                  tenants:
                    %s:
                      name: Contoso
                      client-id: idsync-local
                      client-secret-env: IDSYNC_CONTOSO_CLIENT_SECRET
                      authority-host: https://127.0.0.1:%d
                      graph-base-url: %s
                      schedule:
                        enabled: false
                      notifications:
                        enabled: %s
                """.formatted(TENANT, httpsPort, emulator.url(), options.notifications());
        try {
            Files.writeString(work.resolve("idsync.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path jar(String module) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("no " + module + "/target/quarkus-app/quarkus-run.jar above " + Path.of("").toAbsolutePath()
                + ": build first (./mvnw -B -o install -DskipTests)");
    }

    private synchronized int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (ports.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        services.values().forEach(ChildJvm::close);
        emulator.close();
        postgres.close();
        kafka.close();
    }
}
