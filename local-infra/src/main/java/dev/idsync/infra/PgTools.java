package dev.idsync.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs PostgreSQL's programs as an OS user they accept. {@code initdb} and {@code postgres} refuse to
 * run as root, so as root they run via {@code runuser} as the {@code postgres} OS user (Debian's package
 * creates it) or, on a machine without it (the bundled programs need no package), as {@code nobody};
 * the files they need are handed over to that user. Otherwise they run directly.
 *
 * @param binaries where the programs are
 * @param runAs the OS user to switch to, if any
 */
record PgTools(PostgresBinaries binaries, Optional<String> runAs) {

    static final String POSTGRES_OS_USER = "postgres";
    static final String FALLBACK_OS_USER = "nobody";

    /** The OS user to run the programs as: none (this one) unless this process is root. */
    static Optional<String> osUserForCurrentUser() {
        if (!isRoot()) {
            return Optional.empty();
        }
        return Optional.of(osUserExists(POSTGRES_OS_USER) ? POSTGRES_OS_USER : FALLBACK_OS_USER);
    }

    static PgTools forCurrentUser() {
        Optional<String> runAs = osUserForCurrentUser();
        return new PgTools(PostgresBinaries.locate(runAs.isPresent()), runAs);
    }

    private static boolean osUserExists(String name) {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
            return true;
        } catch (IOException e) {
            return false; // UserPrincipalNotFoundException
        }
    }

    /**
     * Runs {@code tool args…} in {@code workDir}, appending its output to {@code log}.
     *
     * @throws PgToolException when it fails or exceeds {@code timeout}; the message carries its output
     */
    void run(Path workDir, Path log, Duration timeout, String tool, String... args) {
        List<String> command = new ArrayList<>();
        runAs.ifPresent(user -> command.addAll(List.of("runuser", "-u", user, "--")));
        command.add(binaries.tool(tool).toString());
        command.addAll(List.of(args));
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            // Output to a file, never a pipe: pg_ctl's postmaster must not hold on to anything of ours.
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PgToolException(tool + " did not finish within " + timeout, outputSince(log, logStart));
            }
            if (process.exitValue() != 0) {
                throw new PgToolException(tool + " failed with exit code " + process.exitValue(), outputSince(log, logStart));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + tool, e);
        }
    }

    /** Gives {@code path} to the OS user the programs run as (a no-op when not switching users). */
    void handOver(Path path) {
        if (runAs.isEmpty()) {
            return;
        }
        try {
            UserPrincipal owner = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(runAs.get());
            Files.setOwner(path, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + path + " to the OS user '" + runAs.get()
                    + "' (as root, PostgreSQL runs as that user)", e);
        }
    }

    private static boolean isRoot() {
        try {
            // The owner of /proc/self is this process's effective uid.
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String outputSince(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** A PostgreSQL program failed; the message carries what it printed. */
    static final class PgToolException extends RuntimeException {
        private final String output;

        PgToolException(String message, String output) {
            super(message + ":\n" + output.strip());
            this.output = output;
        }

        String output() {
            return output;
        }
    }
}
