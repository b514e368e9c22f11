package dev.idsync.infra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * A throwaway PostgreSQL cluster from PostgreSQL's server programs (the Maven artifact's or the
 * machine's, see {@link PostgresBinaries}), listening on 127.0.0.1 with password (SCRAM) authentication and fsync on.
 * It has one database, {@value #DATABASE}, owned by the login role {@value #USERNAME} (not a superuser,
 * like a real deployment); both passwords are generated at start.
 *
 * <p>The postmaster is a daemon, not a child of this JVM: if the JVM is killed with {@code -9} it keeps
 * running. Every cluster's directory is tagged with its owner JVM ({@link OwnedDirectory}); the next
 * start in the same work root stops the postmasters of dead owners and deletes their directories.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "idsync";
    public static final String USERNAME = "idsync";
    private static final String KIND = "postgres";
    private static final int START_ATTEMPTS = 3;

    private final PgCluster cluster;
    private final Path directory;
    private final int port;
    private final String password;
    private final Duration startupTime;
    private final PostgresBinaries binaries;
    private boolean closed;

    private LocalPostgres(PgCluster cluster, Path directory, int port, String password, Duration startupTime,
            PostgresBinaries binaries) {
        this.cluster = cluster;
        this.directory = directory;
        this.port = port;
        this.password = password;
        this.startupTime = startupTime;
        this.binaries = binaries;
    }

    /** Starts a cluster on {@code preferredPort} if it is free, else on any free port ({@code 0}: any). */
    public static LocalPostgres start(int preferredPort) {
        return start(preferredPort, OwnedDirectory.defaultRoot());
    }

    /** As {@link #start(int)}, with the cluster's directory under {@code workRoot}. */
    public static LocalPostgres start(int preferredPort, Path workRoot) {
        long begin = System.nanoTime();
        Path root = workRoot.toAbsolutePath(); // PostgreSQL's programs run in the cluster's directory
        PgTools tools = PgTools.forCurrentUser();
        sweepOrphans(root, tools);
        Path dir = OwnedDirectory.create(root, KIND);
        PgCluster cluster = new PgCluster(dir, tools);
        try {
            tools.handOver(dir);
            String superuserPassword = Passwords.generate();
            cluster.init(superuserPassword);
            int port = startOnFreePort(cluster, preferredPort);
            cluster.postmaster().ifPresent(postmaster -> OwnedDirectory.recordServer(dir, postmaster));
            String password = Passwords.generate();
            createDatabase(port, superuserPassword, password);
            return new LocalPostgres(cluster, dir, port, password, Duration.ofNanos(System.nanoTime() - begin), tools.binaries());
        } catch (RuntimeException e) {
            try {
                cluster.stop("immediate");
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            OwnedDirectory.deleteRecursively(dir);
            throw e;
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/idsync}. */
    public String jdbcUrl() {
        return jdbcUrl(port, DATABASE);
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** The cluster's directory (data, socket, logs); deleted by {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** From {@link #start} being called to the database accepting the application's user. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The server programs this cluster runs, and where they came from. */
    public PostgresBinaries binaries() {
        return binaries;
    }

    /**
     * Stops the server as an operator's restart would ({@code pg_ctl -m fast stop}: sessions ended, open
     * transactions rolled back) and keeps its data, so fault tests can let clients see a database that is
     * gone for a while. {@link #startServer()} brings it back on the same port.
     */
    public synchronized void stopServer() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        cluster.stop("fast");
    }

    /** Starts the server stopped by {@link #stopServer()} again, on the same port, with the same data. */
    public synchronized void startServer() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (cluster.postmaster().map(ProcessHandle::isAlive).orElse(false)) {
            return;
        }
        cluster.start(port);
        cluster.postmaster().ifPresent(postmaster -> OwnedDirectory.recordServer(directory, postmaster));
    }

    /** Stops the server ({@code pg_ctl -m fast stop}) and deletes the cluster's directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cluster.stop("fast");
        OwnedDirectory.deleteRecursively(directory);
    }

    @Override
    public String toString() {
        return "LocalPostgres[" + jdbcUrl() + ", " + directory + "]";
    }

    private static int startOnFreePort(PgCluster cluster, int preferredPort) {
        for (int attempt = 1; ; attempt++) {
            int port = FreePorts.choose(attempt == 1 ? preferredPort : 0);
            try {
                cluster.start(port);
                return port;
            } catch (PgCluster.PortTakenException e) {
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException("PostgreSQL lost the race for a free port " + attempt + " times", e);
                }
            }
        }
    }

    /** As the superuser: the application's role and its database (the role owns it and its schemas). */
    private static void createDatabase(int port, String superuserPassword, String password) {
        try (Connection connection = connect(jdbcUrl(port, "postgres"), PgCluster.SUPERUSER, superuserPassword);
                Statement statement = connection.createStatement()) {
            // Passwords are [A-Za-z0-9_-] only (Passwords.generate), so the literal needs no escaping.
            statement.execute("CREATE ROLE " + USERNAME + " LOGIN PASSWORD '" + password + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USERNAME);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE + " on port " + port, e);
        }
    }

    /**
     * Connects with the driver directly rather than through DriverManager, which filters drivers by the
     * caller's class loader and so misbehaves under Quarkus' test class loaders.
     */
    static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        Connection connection = new org.postgresql.Driver().connect(url, props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + url);
        }
        return connection;
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://" + FreePorts.HOST + ":" + port + "/" + database;
    }

    private static void sweepOrphans(Path root, PgTools tools) {
        for (Path orphan : OwnedDirectory.claimOrphans(root, KIND)) {
            try {
                new PgCluster(orphan, tools).stop("immediate");
            } catch (RuntimeException e) {
                // pg_ctl could not do it (e.g. the data dir is damaged): signal the recorded postmaster
                OwnedDirectory.liveServer(orphan).ifPresent(ProcessHandle::destroy);
            }
            OwnedDirectory.deleteRecursively(orphan);
        }
    }
}
