package dev.idsync.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.idsync.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 17's end-to-end benchmark: the built services on local Kafka and PostgreSQL against the emulator's
 * demo tenant at 100,000 users / 10,000 groups / 1,000,000 memberships / 8 directory roles (fixed seed),
 * with the raw Kafka + JDBC floor measured in the same run. See bench/README.md for what each number means.
 *
 * <pre>
 * bench/e2e [--scale 10] [--jfr] [--no-delta] [--no-replay] [--single-user-runs 20] [--heap 256m]
 * </pre>
 */
public final class E2eBench {

    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(30);
    private static final List<String> ROLE_MAPPER_TOPICS = List.of(Topics.USERS, Topics.GROUPS, Topics.MEMBERSHIPS);
    /** audit-log's subscription (its application.properties). */
    private static final List<String> AUDIT_TOPICS = List.of(Topics.GRAPH_OBSERVATIONS, Topics.USERS, Topics.GROUPS,
            Topics.MEMBERSHIPS, Topics.DIRECTORY_ROLES, Topics.SYNC_RUNS, Topics.DRY_RUN, Topics.ROLE_ASSIGNMENTS,
            Topics.PROFILE_CHANGES);

    private E2eBench() {
    }

    public static void main(String[] args) throws Exception {
        E2eOptions o = E2eOptions.parse(args);
        Files.createDirectories(o.work());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("startedAt", Instant.now().toString());
        result.put("options", Map.of("users", o.users(), "groups", o.groups(), "memberships", o.memberships(),
                "directoryRoles", o.roles(), "seed", o.seed(), "serviceHeap", o.serviceHeap(), "jfr", o.jfr()));
        result.put("loadBefore", load());
        System.out.printf("idsync e2e bench: %,d users, %,d groups, %,d memberships, %d directory roles (seed %d);"
                + " services %s; %d cores; load %s%n", o.users(), o.groups(), o.memberships(), o.roles(), o.seed(),
                o.serviceHeap(), Runtime.getRuntime().availableProcessors(), load());
        long t0 = System.nanoTime();
        try (BenchStack stack = BenchStack.start(o);
                KafkaWatch kafka = new KafkaWatch(stack.bootstrap());
                Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword())) {
            double startup = seconds(t0);
            System.out.printf("stack up in %.1f s (broker, PostgreSQL, emulator seeded, 4 services); logs in %s%n", startup, o.work());
            result.put("stackStartupSeconds", startup);
            if (o.pgLogMillis() >= 0) {
                stack.logStatementsOver(o.pgLogMillis());
            }
            PollerRuns runs = new PollerRuns(stack.service(BenchStack.POLLER).url(), stack.emulatorUrl());

            Map<String, Object> initial = initialSync(o, stack, kafka, db, runs);
            result.put("initial", initial);
            SnapshotCheck.Result check = SnapshotCheck.run(db, stack.emulatorUrl(), BenchStack.TENANT);
            report("after the initial sync", check);
            initial.put("check", check);

            long events = ((Number) initial.get("events")).longValue();
            long users = o.users();
            long groups = o.groups();
            System.out.printf("raw floor: %,d records through three topics into PostgreSQL (no idsync code) ...%n", events);
            RawFloor.Result raw = RawFloor.run(stack.bootstrap(), stack.jdbcUrl(), stack.dbUser(), stack.dbPassword(),
                    users, groups, Math.max(0, events - users - groups));
            double storeSeconds = ((Number) initial.get("storeSeconds")).doubleValue();
            double ratio = raw.seconds() / storeSeconds;
            System.out.printf("raw floor: %,d records in %.1f s = %,.0f records/s; ratio = raw time / idsync time (to the"
                    + " store) = %.1f / %.1f = %.2f (target >= 0.5)%n", raw.records(), raw.seconds(), raw.rate(),
                    raw.seconds(), storeSeconds, ratio);
            result.put("raw", Map.of("records", raw.records(), "seconds", raw.seconds(), "recordsPerSecond", raw.rate()));
            result.put("ratio", ratio);

            if (o.delta()) {
                DeltaBench delta = new DeltaBench(db, runs, stack.emulatorUrl());
                int changes = Math.max(10, o.memberships() / 1000);
                DeltaBench.Latencies bulk = delta.bulk(changes, "delta");
                System.out.println(bulk.line(String.format("delta (1 %% of users, %,d membership changes)", changes)));
                SnapshotCheck.Result afterDelta = SnapshotCheck.run(db, stack.emulatorUrl(), BenchStack.TENANT);
                report("after the delta", afterDelta);
                DeltaBench.Latencies single = delta.singleUser(o.singleUserRuns(), "single");
                System.out.println(single.line("single changed user, one run each (target store p95 <= 500 ms)"));
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("bulk", bulk.json());
                d.put("bulkCheckDifferences", afterDelta.total());
                d.put("singleUser", single.json());
                result.put("delta", d);
            }
            if (o.replay()) {
                Map<String, Object> replay = replay(stack, kafka, db);
                SnapshotCheck.Result afterReplay = SnapshotCheck.run(db, stack.emulatorUrl(), BenchStack.TENANT);
                report("after the replay", afterReplay);
                replay.put("checkDifferences", afterReplay.total());
                result.put("replay", replay);
            }

            result.put("loadAfter", load());
            if (o.pgLogMillis() >= 0 && Files.exists(stack.postgresLog())) {
                Files.copy(stack.postgresLog(), o.work().resolve("postgres.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            List<JvmUsage> usage = stack.stopJvms();
            System.out.println("JVMs (peak heap = fullest heap before a collection; GC share = pause time / the JVM's life):");
            usage.forEach(u -> System.out.println("  " + u.line()));
            result.put("jvms", usage.stream().map(u -> Map.of("name", u.name(), "peakHeapMib", u.peakHeapMib(),
                    "peakRssMib", u.peakRssMib(), "gcPauses", u.gcPauses(), "gcSeconds", u.gcSeconds(),
                    "lifetimeSeconds", u.lifetimeSeconds(), "gcShare", u.gcShare())).toList());
            if (o.jfr()) {
                System.out.println("JFR recordings: " + o.work() + "/*.jfr");
            }
            result.put("totalSeconds", seconds(t0));
        } finally {
            Path json = o.work().getParent().resolve("e2e-result.json");
            Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
            System.out.println("results: " + json);
        }
    }

    /** The first run of the tenant (Graph's initial query) through to the store, the directory topics and both consumers. */
    private static Map<String, Object> initialSync(E2eOptions o, BenchStack stack, KafkaWatch kafka, Connection db,
            PollerRuns runs) throws Exception {
        Progress progress = new Progress(System.out, o.expectedObjects());
        long t0 = System.nanoTime();
        String runId = runs.startDelta();
        Double poller = null;
        Double store = null;
        Double topics = null;
        Double roleMapper = null;
        Double audit = null;
        JsonNode run = null;
        long deadline = t0 + PHASE_TIMEOUT.toNanos();
        while (poller == null || store == null || topics == null || roleMapper == null || audit == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("initial sync not through after " + PHASE_TIMEOUT + ": poller " + poller
                        + " store " + store + " topics " + topics + " role-mapper " + roleMapper + " audit " + audit);
            }
            if (poller == null) {
                run = runs.get(runId);
                if (!"running".equals(run.path("state").asText())) {
                    if (!"completed".equals(run.path("state").asText())) {
                        throw new IllegalStateException("the initial run ended " + run);
                    }
                    poller = seconds(t0);
                }
            }
            if (store == null && "completed".equals(runStatus(db, runId))) {
                store = seconds(t0);
            }
            if (store != null && topics == null && count(db, "select count(*) from directory.outbox") == 0) {
                topics = seconds(t0);
            }
            if (topics != null && roleMapper == null && kafka.lag("role-mapper", ROLE_MAPPER_TOPICS) == 0) {
                roleMapper = seconds(t0);
            }
            if (topics != null && audit == null && kafka.lag("audit-log", AUDIT_TOPICS) == 0) {
                audit = seconds(t0);
            }
            long objects = 0;
            for (Map.Entry<String, JsonNode> count : run.path("counts").properties()) {
                if (!count.getKey().startsWith("pages.")) {
                    objects += count.getValue().asLong();
                }
            }
            progress.show("initial", run.path("pages").asLong(), objects, String.format("poller %s store %s topics %s roles %s audit %s",
                    mark(poller), mark(store), mark(topics), mark(roleMapper), mark(audit)));
            Sleep.millis(100);
        }
        progress.done();
        long events = kafka.endOffsets(List.of(Topics.GRAPH_OBSERVATIONS));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", runId);
        m.put("pages", run.path("pages").asLong());
        m.put("counts", run.path("counts"));
        m.put("events", events);
        m.put("pollerSeconds", poller);
        m.put("pollerRunMillis", run.path("durationMillis").asLong());
        m.put("storeSeconds", store);
        m.put("directoryTopicsSeconds", topics);
        m.put("roleMapperSeconds", roleMapper);
        m.put("auditLogSeconds", audit);
        m.put("eventsPerSecond", events / store);
        m.put("load", load());
        System.out.printf("initial sync: %,d pages, %,d events (%s); poller run %.1f s; store complete %.1f s"
                + " (%,.0f events/s); directory topics published %.1f s; role-mapper caught up %.1f s (%.2f x store);"
                + " audit-log caught up %.1f s (%.2f x store); load %s%n", run.path("pages").asLong(), events, run.path("counts"),
                poller, store, events / store, topics, roleMapper, roleMapper / store, audit, audit / store, load());
        return m;
    }

    /**
     * The processor stopped, its consumer group deleted and its store emptied; started again, it re-reads the
     * observations topic from offset 0. Timed from its launch and from its first applied batch to the last.
     */
    private static Map<String, Object> replay(BenchStack stack, KafkaWatch kafka, Connection db) throws Exception {
        long events = kafka.endOffsets(List.of(Topics.GRAPH_OBSERVATIONS));
        // Every run ends with its completion marker, the last record of the partition is the last run's: the
        // replay is through when the emptied store has recorded as many completed runs as before. (Not the
        // processor's metrics: a scrape counts the store's rows, which costs the database time mid-replay.)
        long runs = count(db, "select count(*) from directory.sync_runs where status = 'completed'");
        System.out.printf("replay: %,d records (%,d runs) from offset 0 into an empty store ...%n", events, runs);
        long launched = System.nanoTime();
        ChildJvm processor = stack.launchOnly(BenchStack.PROCESSOR, () -> {
            kafka.deleteGroup("delta-processor");
            try (Statement s = db.createStatement()) {
                s.execute("truncate directory.objects, directory.memberships, directory.sync_runs, directory.deletions, directory.outbox");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        Progress progress = new Progress(System.out, runs);
        long first = 0;
        long deadline = launched + PHASE_TIMEOUT.toNanos();
        while (true) {
            if (!processor.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("replay did not finish; see " + processor.log());
            }
            if (first == 0 && count(db, "select count(*) from (select 1 from directory.objects limit 1) x") > 0) {
                first = System.nanoTime();
            }
            long completed = count(db, "select count(*) from directory.sync_runs where status = 'completed'");
            if (completed >= runs) {
                break;
            }
            progress.show("replay", completed, completed, "runs completed");
            Sleep.millis(100);
        }
        long done = System.nanoTime();
        progress.done();
        while (count(db, "select count(*) from directory.outbox") > 0) {
            Sleep.millis(100);
        }
        double published = (System.nanoTime() - launched) / 1e9;
        double fromLaunch = (done - launched) / 1e9;
        double fromFirst = (done - first) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", events);
        m.put("secondsFromLaunch", fromLaunch);
        m.put("eventsPerSecondFromLaunch", events / fromLaunch);
        m.put("secondsFromFirstBatch", fromFirst);
        m.put("eventsPerSecondFromFirstBatch", events / fromFirst);
        m.put("publishedSecondsFromLaunch", published);
        m.put("load", load());
        System.out.printf("replay: %,d records in %.1f s from launch = %,.0f events/s; %.1f s from the first stored row = %,.0f"
                + " events/s (target >= 50,000); outbox published %.1f s after launch; load %s%n", events, fromLaunch,
                events / fromLaunch, fromFirst, events / fromFirst, published, load());
        return m;
    }

    private static void report(String when, SnapshotCheck.Result check) {
        System.out.printf("check %s: %d differences (objects %d, memberships %d, pending %d, placeholders %d) between the"
                + " store and the emulator's snapshot of %,d objects and %,d member links (%.1f s)%n", when, check.total(),
                check.objects(), check.memberships(), check.pending(), check.placeholders(), check.snapshotObjects(),
                check.snapshotMemberships(), check.seconds());
        check.samples().forEach(s -> System.out.println("  " + s));
    }

    static String runStatus(Connection db, String runId) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("select status from directory.sync_runs where tenant_id = ? and run_id = ?")) {
            q.setString(1, BenchStack.TENANT);
            q.setString(2, runId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static long count(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String mark(Double seconds) {
        return seconds == null ? "..." : String.format("%.1fs", seconds);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The 1-minute load average and the others, as uptime prints them. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
