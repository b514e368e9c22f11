package dev.idsync.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One throwaway PostgreSQL cluster in a directory of its own:
 * {@code data/} (the cluster), {@code sock/} (its Unix socket), {@code postgres.log} (the server's log),
 * {@code tools.log} (what initdb and pg_ctl printed).
 */
final class PgCluster {

    static final String SUPERUSER = "postgres";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final PgTools tools;

    PgCluster(Path dir, PgTools tools) {
        this.dir = dir;
        this.tools = tools;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    /** Creates the cluster; its superuser {@value #SUPERUSER} authenticates over TCP with {@code password}. */
    void init(String password) {
        Path pwfile = dir.resolve("pwfile");
        try {
            Files.writeString(pwfile, password + "\n");
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            tools.handOver(pwfile);
            Path socketDir = Files.createDirectory(dir.resolve("sock"));
            tools.handOver(socketDir);
            tools.run(dir, toolsLog(), TOOL_TIMEOUT, "initdb",
                    "-D", dataDir().toString(),
                    "-U", SUPERUSER,
                    "--pwfile=" + pwfile,
                    // TCP (the only way in for clients) needs the password; the socket, which only this
                    // OS user can reach, uses peer authentication.
                    "--auth-host=scram-sha-256",
                    "--auth-local=peer",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-instructions",
                    // Skips only initdb's final flush of the new files (~0.2 s): a crash before that
                    // would lose a cluster that is thrown away anyway. The server runs with fsync on.
                    "--no-sync");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the PostgreSQL cluster in " + dir, e);
        } catch (PgTools.PgToolException e) {
            throw new IllegalStateException(e.getMessage() + accessHint(), e);
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException e) {
                // deleted with the directory at the latest
            }
        }
    }

    /**
     * Starts the server on 127.0.0.1:{@code port} and waits until it accepts connections.
     *
     * @throws PortTakenException when the port was taken in the meantime
     */
    void start(int port) {
        String options = String.join(" ",
                "-p", Integer.toString(port),
                "-k", quoted(dir.resolve("sock")),
                "-c", "listen_addresses=" + FreePorts.HOST);
        try {
            // A fresh log per attempt, so a failed attempt's "could not bind" is not read twice.
            Files.deleteIfExists(dir.resolve("postgres.log"));
            tools.run(dir, toolsLog(), TOOL_TIMEOUT, "pg_ctl",
                    "-D", dataDir().toString(), "-l", dir.resolve("postgres.log").toString(),
                    "-w", "-t", Long.toString(TOOL_TIMEOUT.toSeconds()), "-o", options, "start");
        } catch (PgTools.PgToolException e) {
            String serverLog = serverLog();
            if (serverLog.contains("could not bind") || serverLog.contains("Address already in use")) {
                throw new PortTakenException();
            }
            throw new IllegalStateException(e.getMessage() + "\nserver log:\n" + serverLog, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset " + dir.resolve("postgres.log"), e);
        }
    }

    /** The postmaster's pid: the first line of {@code postmaster.pid}. */
    Optional<ProcessHandle> postmaster() {
        try {
            List<String> lines = Files.readAllLines(dataDir().resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the server and waits for it to be gone. {@code fast} rolls back open transactions and ends
     * sessions (what a test run wants); {@code immediate} is for orphans that are deleted right after.
     */
    void stop(String mode) {
        if (!Files.exists(dataDir().resolve("postmaster.pid"))) {
            return; // not running
        }
        Optional<ProcessHandle> postmaster = postmaster();
        tools.run(dir, toolsLog(), TOOL_TIMEOUT, "pg_ctl",
                "-D", dataDir().toString(), "-m", mode, "-w", "-t", Long.toString(TOOL_TIMEOUT.toSeconds()), "stop");
        // pg_ctl returns once postmaster.pid is gone, a moment before the process itself has exited.
        postmaster.ifPresent(PgCluster::awaitExit);
    }

    /**
     * A bounded poll: the postmaster is not our child, and the JDK's onExit() for non-children only
     * notices an exit after a second or more, which would make every close() that slow.
     */
    private static void awaitExit(ProcessHandle process) {
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        try {
            while (process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path toolsLog() {
        return dir.resolve("tools.log");
    }

    private String serverLog() {
        try {
            return Files.readString(dir.resolve("postgres.log"));
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    private String accessHint() {
        return tools.runAs()
                .map(user -> "\n(as root, PostgreSQL runs as the OS user '" + user + "', which must be able to reach "
                        + dir + ": every parent directory needs the x permission for others)")
                .orElse("");
    }

    /** pg_ctl hands {@code -o} to a shell: quote the path and refuse what quoting cannot carry. */
    private static String quoted(Path path) {
        String text = path.toString();
        if (text.contains("'")) {
            throw new IllegalArgumentException("a PostgreSQL work directory must not contain a quote: " + text);
        }
        return "'" + text + "'";
    }

    /** The server could not bind a port that was free a moment earlier. */
    static final class PortTakenException extends RuntimeException {
        PortTakenException() {
            super("port taken");
        }
    }
}
