package dev.idsync.bench.e2e;

import java.nio.file.Path;

/**
 * The benchmark's knobs. The defaults are issue 17's tenant: 100,000 users, 10,000 groups, 1,000,000
 * memberships, 8 directory roles, seed 42 (the emulator's demo-tenant default), services at -Xmx256m.
 */
record E2eOptions(int users, int groups, int memberships, int roles, long seed, String serviceHeap, boolean jfr,
                  int singleUserRuns, boolean delta, boolean replay, int pgLogMillis, Path work, boolean notifications) {

    static E2eOptions parse(String[] args) {
        int users = 100_000;
        int groups = 10_000;
        int memberships = 1_000_000;
        int roles = 8;
        long seed = 42;
        String heap = "-Xmx256m";
        boolean jfr = false;
        int single = 20;
        boolean delta = true;
        boolean replay = true;
        int pgLog = -1;
        Path work = Path.of("bench/target/e2e");
        boolean notifications = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--groups" -> groups = Integer.parseInt(args[++i]);
                case "--memberships" -> memberships = Integer.parseInt(args[++i]);
                case "--roles" -> roles = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--heap" -> heap = "-Xmx" + args[++i];
                case "--jfr" -> jfr = true;
                case "--single-user-runs" -> single = Integer.parseInt(args[++i]);
                case "--no-delta" -> delta = false;
                case "--no-replay" -> replay = false;
                case "--work" -> work = Path.of(args[++i]);
                // the tenant subscribes to Graph change notifications (NotifyLatencyBench)
                case "--notifications" -> notifications = true;
                // PostgreSQL's log_min_duration_statement for the run; its log is copied to the work directory
                case "--pg-log-statements-over" -> pgLog = Integer.parseInt(args[++i]);
                case "--scale" -> {
                    // 1/n of the tenant in every dimension, e.g. --scale 10 = 10k users
                    int n = Integer.parseInt(args[++i]);
                    users /= n;
                    groups /= n;
                    memberships /= n;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; known: --users --groups --memberships --roles --seed --scale --heap --jfr"
                        + " --single-user-runs --no-delta --no-replay --pg-log-statements-over --work --notifications");
            }
        }
        return new E2eOptions(users, groups, memberships, roles, seed, heap, jfr, single, delta, replay, pgLog,
                work.toAbsolutePath(), notifications);
    }

    /** Objects the initial sync observes, for the progress line's ETA (memberships dominate). */
    long expectedObjects() {
        return (long) users + groups + memberships + roles;
    }
}
