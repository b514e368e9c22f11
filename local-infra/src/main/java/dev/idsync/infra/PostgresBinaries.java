package dev.idsync.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) are.
 *
 * <p>Looked up, in order: system property {@value #BIN_DIR_PROPERTY} or environment variable
 * {@value #BIN_DIR_ENV}; the newest {@code /usr/lib/postgresql/<major>/bin} (Debian's layout, several
 * majors can be installed side by side); {@code pg_config --bindir}.
 */
public record PostgresBinaries(Path binDir) {

    public static final String BIN_DIR_PROPERTY = "idsync.postgres.bin-dir";
    public static final String BIN_DIR_ENV = "IDSYNC_POSTGRES_BIN_DIR";
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final List<String> REQUIRED = List.of("initdb", "pg_ctl", "postgres");

    public static PostgresBinaries locate() {
        List<Path> candidates = new ArrayList<>();
        explicitDir().ifPresent(candidates::add);
        candidates.addAll(debianDirsNewestFirst(DEBIAN_ROOT));
        pgConfigBinDir().ifPresent(candidates::add);
        return locate(candidates);
    }

    /** The first candidate that holds all server programs. */
    static PostgresBinaries locate(List<Path> candidates) {
        return candidates.stream()
                .filter(PostgresBinaries::hasServerPrograms)
                .findFirst()
                .map(PostgresBinaries::new)
                .orElseThrow(() -> new IllegalStateException(
                        "no PostgreSQL server programs (initdb, pg_ctl, postgres) found in " + candidates
                                + ". Install them, e.g. on Debian/Ubuntu: 'apt-get install postgresql-15' (or 'apt-get install postgresql'"
                                + " for the distribution's default major), or point " + BIN_DIR_PROPERTY + " / " + BIN_DIR_ENV
                                + " at their directory."));
    }

    Path tool(String name) {
        return binDir.resolve(name);
    }

    private static boolean hasServerPrograms(Path dir) {
        return REQUIRED.stream().allMatch(name -> Files.isExecutable(dir.resolve(name)));
    }

    private static Optional<Path> explicitDir() {
        String dir = System.getProperty(BIN_DIR_PROPERTY, System.getenv(BIN_DIR_ENV));
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
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
