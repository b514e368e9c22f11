package dev.idsync.systemtests.stack;

import dev.idsync.infra.test.EmulatorConfig;
import dev.idsync.infra.test.SharedInfra;
import dev.idsync.systemtests.trace.OtlpReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole idsync stack of this test JVM, started once on first use and shared by every scenario:
 * local-infra's broker, PostgreSQL and graph-emulator, and the five services as child JVMs from their
 * built fast-jars, configured exactly as in the local stack (environment variables for infrastructure,
 * OIDC issuer and secret; an idsync.yaml with the scenarios' tenants on the emulator).
 */
public final class Stack {

    /** The secret of the scenarios' app registration in the emulator; opens only the in-memory fake. */
    public static final String CLIENT_SECRET = "system-tests-only";
    public static final String CLIENT_ID = "idsync-e2e";
    static final String SECRET_ENV = "IDSYNC_E2E_CLIENT_SECRET";

    public static final String POLLER = "graph-poller";
    public static final String PROCESSOR = "delta-processor";
    public static final String ROLE_MAPPER = "role-mapper";
    public static final String WRITER = "profile-writer";
    public static final String AUDIT = "audit-log";
    /** The admin console: not one of {@link #SERVICES}; started by {@link #console()} for the scenarios that use it. */
    public static final String CONSOLE = "admin-console";
    /** The five services, each started once by {@link #get()}; a scenario may add instances ({@link #addInstances}). */
    public static final List<String> SERVICES = List.of(POLLER, PROCESSOR, ROLE_MAPPER, WRITER, AUDIT);
    /** The environment variable naming an instance of a service (its Kafka {@code group.instance.id}: static membership). */
    static final String INSTANCE_ENV = "IDSYNC_INSTANCE_ID";

    /**
     * How long a consumer killed with {@code kill -9} and started again may take to apply again, from its
     * launch: its start-up (a few seconds; up to ~15 s on a loaded 2-core machine) and nothing more, since
     * every consumer is a static group member ({@code group.instance.id} from {@link #INSTANCE_ENV}, which
     * the stack sets per instance): the restarted member takes its partitions back at once instead of after
     * the dead member's session timeout (45 s before issue 16). Every fault test's wait builds on it.
     */
    public static final Duration CONSUMER_BACK_AFTER_KILL = Duration.ofSeconds(30);

    private static Stack shared;

    private final String bootstrapServers;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final String emulatorUrl;
    private final String authority;
    private final String truststore;
    private final Path work;
    /** Every service exports its spans here (IDSYNC_OTEL_ENDPOINT), so a scenario can follow a trace. */
    private final OtlpReceiver traces = OtlpReceiver.start();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** Instance name → its module and the system properties it was started with (a restart uses the same). */
    private final Map<String, Launch> launches = new LinkedHashMap<>();

    /** How an instance is started: the service (module) and properties beyond the stack's own for that service. */
    private record Launch(String module, Map<String, String> extraProperties) {
    }

    private Stack(Map<String, String> kafka, Map<String, String> postgres, Map<String, String> emulator, Path work) {
        this.bootstrapServers = kafka.get("kafka.bootstrap.servers");
        this.jdbcUrl = postgres.get("quarkus.datasource.jdbc.url");
        this.dbUser = postgres.get("quarkus.datasource.username");
        this.dbPassword = postgres.get("quarkus.datasource.password");
        this.emulatorUrl = emulator.get(EmulatorConfig.URL);
        this.authority = emulator.get(EmulatorConfig.AUTHORITY);
        this.truststore = emulator.get(EmulatorConfig.TRUSTSTORE);
        this.work = work;
    }

    public static synchronized Stack get() {
        if (shared == null) {
            Instant t0 = Instant.now();
            Path work = Path.of(System.getProperty("idsync.system-tests.work", "target/system-tests")).toAbsolutePath();
            deleteApps(work.resolve("apps"));
            deleteLogs(work);
            Stack stack = new Stack(SharedInfra.kafkaConfig(), SharedInfra.postgresConfig(), SharedInfra.emulatorConfig(), work);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stopServices, "system-tests-stop-services"));
            Duration infra = Duration.between(t0, Instant.now());
            stack.startServices();
            System.out.printf("SYSTEM-TESTS stack: infrastructure and emulator in %d ms, services ready after %d ms (%s)%n",
                    infra.toMillis(), Duration.between(t0, Instant.now()).toMillis(),
                    stack.services.values().stream().map(s -> s.name() + " " + s.startupTime().toMillis() + " ms").toList());
            shared = stack;
        }
        return shared;
    }

    /** The spans the services exported so far. */
    public OtlpReceiver traces() {
        return traces;
    }

    /** The directory of the services' logs ({@code <instance>.log}). */
    public Path logDirectory() {
        return work;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String emulatorUrl() {
        return emulatorUrl;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public String url(String service) {
        return service(service).url();
    }

    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        if (!service.isAlive()) {
            throw new IllegalStateException(name + " is no longer running; its log:\n" + service.tail(60));
        }
        return service;
    }

    /** Stops the service, runs {@code whileStopped} (e.g. resetting its consumer group), starts it again. */
    public synchronized ServiceProcess restart(String name, Runnable whileStopped) {
        services.get(name).close();
        whileStopped.run();
        ServiceProcess started = awaitReady(name, launch(name));
        services.put(name, started);
        return started;
    }

    /** {@code kill -9} of the service ({@link ServiceProcess#kill()}); {@link #start(String)} brings it back. */
    public synchronized void kill(String name) {
        services.get(name).kill();
    }

    /** Starts a service that was killed, from the same private copy and configuration, and waits until it is ready. */
    public synchronized ServiceProcess start(String name) {
        if (services.get(name).isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        ServiceProcess started = awaitReady(name, launch(name));
        services.put(name, started);
        return started;
    }

    /**
     * Waits for the service; when it lost the race for its port (chosen free, taken by another process
     * before it bound it), launches it once more on another one.
     */
    private ServiceProcess awaitReady(String name, ServiceProcess launched) {
        ServiceProcess service = launched;
        for (int attempt = 1; ; attempt++) {
            try {
                return service.awaitReady();
            } catch (IllegalStateException e) {
                if (attempt == 3 || service.isAlive() || !service.tail(60).contains("seems to be in use")) {
                    throw e;
                }
                service = launch(name);
            }
        }
    }

    /**
     * The admin console, started on first use against the stack's own instances (its sign-in at the
     * emulator's demo tenant, the issuer of the services' tokens), and kept for the rest of the test JVM.
     */
    public synchronized ServiceProcess console() {
        if (!launches.containsKey(CONSOLE)) {
            launches.put(CONSOLE, new Launch(CONSOLE, Map.of()));
            services.put(CONSOLE, awaitReady(CONSOLE, launch(CONSOLE)));
        }
        return service(CONSOLE);
    }

    /** Every service instance, as it runs now. */
    public synchronized List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    /**
     * Starts one more instance of each given service, named {@code <service>-<n>}, with the stack's
     * configuration plus the given extra system properties, all at once, and waits until they are ready:
     * instances of a service share its consumer groups (partitions are split between them) and its
     * database. Returns the instances' names, which {@link #service}, {@link #kill}, {@link #start} and
     * {@link #removeInstance} take.
     */
    public synchronized List<String> addInstances(Map<String, Map<String, String>> extraPropertiesByService) {
        List<String> added = new java.util.ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : extraPropertiesByService.entrySet()) {
            if (!SERVICES.contains(e.getKey())) {
                throw new IllegalArgumentException("no service " + e.getKey());
            }
            int n = 2;
            while (launches.containsKey(e.getKey() + "-" + n)) {
                n++;
            }
            String instance = e.getKey() + "-" + n;
            launches.put(instance, new Launch(e.getKey(), Map.copyOf(e.getValue())));
            services.put(instance, launch(instance));
            added.add(instance);
        }
        for (String instance : added) {
            services.put(instance, awaitReady(instance, services.get(instance)));
        }
        return added;
    }

    /** Stops an instance {@link #addInstances} added (SIGTERM: a graceful shutdown) and forgets it. */
    public synchronized void removeInstance(String instance) {
        if (SERVICES.contains(instance)) {
            throw new IllegalArgumentException(instance + " is one of the stack's own instances");
        }
        ServiceProcess process = services.remove(instance);
        launches.remove(instance);
        if (process != null) {
            process.close();
        }
    }

    /** The names of the service's instances, the stack's own first (a killed one included). */
    public synchronized List<String> instancesOf(String service) {
        return launches.entrySet().stream().filter(e -> e.getValue().module().equals(service)).map(Map.Entry::getKey).toList();
    }

    private void startServices() {
        writeConfig();
        // All at once: their start-up (Flyway, Kafka clients) overlaps, which is quicker even on two cores.
        for (String name : SERVICES) {
            launches.put(name, new Launch(name, Map.of()));
            services.put(name, launch(name));
        }
        try {
            for (String name : SERVICES) {
                services.put(name, awaitReady(name, services.get(name)));
            }
        } catch (RuntimeException e) {
            stopServices();
            throw e;
        }
    }

    private ServiceProcess launch(String instance) {
        Launch how = launches.get(instance);
        String name = how.module();
        Map<String, String> env = new LinkedHashMap<>();
        // Distinct per instance (a restart keeps it): with static group membership a restarted instance takes
        // its partitions back at once instead of waiting for its old member's session timeout.
        env.put(INSTANCE_ENV, "system-tests-" + instance);
        env.put("IDSYNC_KAFKA_BOOTSTRAP", bootstrapServers);
        env.put("IDSYNC_DB_URL", jdbcUrl);
        env.put("IDSYNC_DB_USER", dbUser);
        env.put("IDSYNC_DB_PASSWORD", dbPassword);
        env.put("IDSYNC_CONFIG", configFile().toString());
        // idsync's own APIs accept tokens of the emulator's demo tenant (api-support), as in the local stack.
        env.put("IDSYNC_OIDC_ISSUER", emulatorUrl + "/" + EmulatorConfig.ISSUER_TENANT + "/v2.0");
        env.put("IDSYNC_OIDC_CLIENT_ID", EmulatorConfig.API_CLIENT_ID);
        env.put(SECRET_ENV, CLIENT_SECRET);
        // Operating as in production (root README, "Operating"): traces to the in-test OTLP receiver, JSON
        // logs. Spans leave every 200 ms instead of 5 s, so a scenario need not wait for them.
        env.put("IDSYNC_OTEL_ENDPOINT", traces.endpoint());
        env.put("IDSYNC_LOG_FORMAT", "json");
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.otel.bsp.schedule.delay", "200ms");
        switch (name) {
            case POLLER -> {
                properties.put("idsync.poller.trust-store.path", truststore);
                properties.put("idsync.poller.trust-store.password", "changeit");
                // Runs only on request: each scenario decides when its tenant syncs.
                properties.put("idsync.poller.scheduler.enabled", "false");
            }
            case ROLE_MAPPER -> {
                env.put("IDSYNC_GRAPH_TRUSTSTORE", truststore);
                env.put("IDSYNC_LOGIN_ISSUER_BASE_URL", emulatorUrl);
                properties.put("role-mapper.outbox.retry-every", "1s");
            }
            case WRITER -> {
                properties.put("idsync.profile-writer.trust-store.path", truststore);
                properties.put("idsync.profile-writer.trust-store.password", "changeit");
            }
            case AUDIT -> properties.put("audit.retention.every", "off");
            case CONSOLE -> {
                env.put("IDSYNC_CONSOLE_POLLER_URL", url(POLLER));
                env.put("IDSYNC_CONSOLE_PROCESSOR_URL", url(PROCESSOR));
                env.put("IDSYNC_CONSOLE_ROLE_MAPPER_URL", url(ROLE_MAPPER));
                env.put("IDSYNC_CONSOLE_WRITER_URL", url(WRITER));
                env.put("IDSYNC_CONSOLE_AUDIT_URL", url(AUDIT));
            }
            default -> { }
        }
        properties.putAll(how.extraProperties());
        return ServiceProcess.start(instance, name, env, properties, work);
    }

    private Path configFile() {
        return work.resolve("idsync.yaml");
    }

    /**
     * The scenarios' tenants, all on the emulator with the same app registration; scheduled runs only for a
     * tenant that asks for them ({@link ScenarioTenant#schedule()}), and only on a poller instance with the
     * scheduler switched on (the stack's own has it off).
     */
    private void writeConfig() {
        StringBuilder yaml = new StringBuilder("# written by system-tests' Stack for this run\nidsync:\n  tenants:\n");
        for (ScenarioTenant tenant : ScenarioTenant.values()) {
            yaml.append("    ").append(tenant.id()).append(":\n")
                    .append("      name: ").append(tenant.displayName()).append('\n')
                    .append("      client-id: ").append(CLIENT_ID).append('\n')
                    .append("      client-secret-env: ").append(SECRET_ENV).append('\n')
                    .append("      authority-host: ").append(authority).append('\n')
                    .append("      graph-base-url: ").append(emulatorUrl).append('\n')
                    .append("      schedule:\n")
                    .append(tenant.schedule().map(every -> "        enabled: true\n        every: " + every.toSeconds() + "s\n")
                            .orElse("        enabled: false\n"));
        }
        try {
            Files.createDirectories(work);
            Files.writeString(configFile(), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies of the services' apps from an earlier test JVM are stale: take fresh ones. */
    private static void deleteApps(Path apps) {
        if (!Files.isDirectory(apps)) {
            return;
        }
        try (var files = Files.walk(apps)) {
            for (Path file : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each test JVM's service logs start empty (a restart within the JVM appends). */
    private static void deleteLogs(Path work) {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (var files = Files.list(work)) {
            for (Path log : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".log"))::iterator) {
                Files.delete(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void stopServices() {
        List<ServiceProcess> running = List.copyOf(services.values());
        running.reversed().forEach(ServiceProcess::close);
    }
}
