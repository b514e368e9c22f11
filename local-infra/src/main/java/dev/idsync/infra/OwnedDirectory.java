package dev.idsync.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The working directory of one server (a broker's log dirs, a PostgreSQL cluster), tagged with the JVM
 * that owns it.
 *
 * <p>Why: a JVM killed with {@code -9} runs no shutdown hook, so its servers' directories (and, for
 * PostgreSQL, a daemonised postmaster) stay behind. Every directory lives under one well-known root
 * ({@link #defaultRoot()}) with an {@value #MARKER} file naming its owner JVM (pid + start time, so a
 * recycled pid is not mistaken for the owner) and the server process it started. The next start of the
 * same kind claims the directories of dead owners ({@link #claimOrphans}) and cleans them up.
 */
final class OwnedDirectory {

    static final String MARKER = "owner.properties";
    private static final String OWNER_PID = "owner.pid";
    private static final String OWNER_START = "owner.start";
    private static final String SERVER_PID = "server.pid";
    private static final String SERVER_START = "server.start";
    /** A directory without marker is either being created right now or left by a crash in between. */
    private static final Duration UNMARKED_GRACE = Duration.ofMinutes(10);

    private OwnedDirectory() {
    }

    /** {@code <java.io.tmpdir>/idsync-infra-<user>}: one root per OS user, so users never share dirs. */
    static Path defaultRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "idsync-infra-" + System.getProperty("user.name"));
    }

    /** Creates {@code <root>/<kind>-<random>} owned by this JVM. */
    static Path create(Path root, String kind) {
        try {
            createRoot(root);
            Path dir = Files.createTempDirectory(root, kind + "-");
            Properties marker = new Properties();
            ProcessRef.current().writeTo(marker, OWNER_PID, OWNER_START);
            store(dir, marker);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a working directory under " + root, e);
        }
    }

    /** Records the server process so an orphan sweep can stop it if it outlived its owner. */
    static void recordServer(Path dir, ProcessHandle server) {
        Properties marker = load(dir);
        ProcessRef.of(server).writeTo(marker, SERVER_PID, SERVER_START);
        store(dir, marker);
    }

    /** The recorded server process, if it is still the same process and still running. */
    static Optional<ProcessHandle> liveServer(Path dir) {
        return ProcessRef.readFrom(load(dir), SERVER_PID, SERVER_START).flatMap(ProcessRef::liveHandle);
    }

    /**
     * Claims the directories of {@code kind} under {@code root} whose owner JVM is gone: each is renamed
     * (atomically, so two JVMs sweeping at once never both handle one) to a hidden name and re-tagged
     * with this JVM as owner, so that if this JVM dies mid-cleanup the next sweep picks it up again.
     */
    static List<Path> claimOrphans(Path root, String kind) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> claimed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : entries.filter(p -> isOfKind(p, kind)).toList()) {
                if (isOrphan(dir)) {
                    claim(dir, kind).ifPresent(claimed::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return claimed;
    }

    /** Deletes {@code dir} and everything below it; a missing directory is fine. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // someone else removed it first: that is the outcome we wanted
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void createRoot(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            return;
        }
        try {
            Files.createDirectories(root.toAbsolutePath().getParent());
            Files.createDirectory(root);
            // 0755 whatever the umask: when running as root, the `postgres` OS user must be able to reach
            // its cluster directories inside.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (FileAlreadyExistsException e) {
            // created concurrently by another JVM
        }
    }

    private static boolean isOfKind(Path dir, String kind) {
        String name = dir.getFileName().toString();
        return Files.isDirectory(dir) && (name.startsWith(kind + "-") || name.startsWith("." + kind + "-"));
    }

    private static boolean isOrphan(Path dir) {
        Path marker = dir.resolve(MARKER);
        try {
            if (!Files.exists(marker)) {
                Instant modified = Files.getLastModifiedTime(dir).toInstant();
                return modified.isBefore(Instant.now().minus(UNMARKED_GRACE));
            }
            return ProcessRef.readFrom(load(dir), OWNER_PID, OWNER_START).flatMap(ProcessRef::liveHandle).isEmpty();
        } catch (IOException | UncheckedIOException e) {
            return false; // vanished or unreadable right now: leave it to a later sweep
        }
    }

    private static Optional<Path> claim(Path dir, String kind) {
        Path target = dir.resolveSibling("." + kind + "-" + UUID.randomUUID());
        try {
            Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("cannot rename within " + dir.getParent(), e);
        } catch (IOException e) {
            return Optional.empty(); // another JVM claimed it first
        }
        try {
            Properties marker = Files.exists(target.resolve(MARKER)) ? load(target) : new Properties();
            ProcessRef.current().writeTo(marker, OWNER_PID, OWNER_START);
            store(target, marker);
            return Optional.of(target);
        } catch (UncheckedIOException e) {
            return Optional.empty(); // re-claimed by another sweeper in between: it is theirs now
        }
    }

    private static Properties load(Path dir) {
        Properties marker = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(MARKER))) {
            marker.load(in);
            return marker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(MARKER), e);
        }
    }

    private static void store(Path dir, Properties marker) {
        Path tmp = dir.resolve(MARKER + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                marker.store(out, "idsync local-infra: the JVM that owns this directory");
            }
            Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(MARKER), e);
        }
    }

    /** A process identified by pid and start time: a pid alone may have been reused by now. */
    record ProcessRef(long pid, long startMillis) {

        static ProcessRef current() {
            return of(ProcessHandle.current());
        }

        static ProcessRef of(ProcessHandle handle) {
            return new ProcessRef(handle.pid(), handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L));
        }

        static Optional<ProcessRef> readFrom(Properties marker, String pidKey, String startKey) {
            String pid = marker.getProperty(pidKey);
            if (pid == null) {
                return Optional.empty();
            }
            return Optional.of(new ProcessRef(Long.parseLong(pid), Long.parseLong(marker.getProperty(startKey, "-1"))));
        }

        void writeTo(Properties marker, String pidKey, String startKey) {
            marker.setProperty(pidKey, Long.toString(pid));
            marker.setProperty(startKey, Long.toString(startMillis));
        }

        Optional<ProcessHandle> liveHandle() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::sameStart);
        }

        private boolean sameStart(ProcessHandle handle) {
            if (startMillis < 0) {
                return true; // start time unknown: assume it is the same process rather than kill a stranger
            }
            return handle.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(true);
        }
    }
}
