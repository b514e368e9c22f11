package dev.idsync.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Properties;

/** Helpers shared by the tests of this module. */
final class TestDirs {

    private TestDirs() {
    }

    /**
     * JUnit's temp dirs are mode 700; as root, PostgreSQL runs as the {@code postgres} OS user, which must
     * be able to reach its cluster inside.
     */
    static Path traversable(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A (pid, start) pair of a process that has certainly ended: the owner of an "orphan". */
    static Properties deadOwner() {
        try {
            Process process = new ProcessBuilder("true").start();
            ProcessHandle handle = process.toHandle();
            long start = handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
            process.waitFor();
            Properties marker = new Properties();
            marker.setProperty("owner.pid", Long.toString(handle.pid()));
            marker.setProperty("owner.start", Long.toString(start));
            return marker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Rewrites {@code dir}'s owner marker as if the JVM that created it had been killed. */
    static void orphan(Path dir) {
        try {
            Properties marker = new Properties();
            try (var in = Files.newInputStream(dir.resolve(OwnedDirectory.MARKER))) {
                marker.load(in);
            }
            marker.putAll(deadOwner());
            try (OutputStream out = Files.newOutputStream(dir.resolve(OwnedDirectory.MARKER))) {
                marker.store(out, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(FreePorts.HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
