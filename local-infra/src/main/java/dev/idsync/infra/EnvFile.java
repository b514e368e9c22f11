package dev.idsync.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Collectors;

/** The connection settings of the local stack for the services, as {@code KEY=value} lines. */
record EnvFile(Map<String, String> variables) {

    static EnvFile of(LocalKafka kafka, LocalPostgres postgres) {
        // Insertion order kept for a readable file.
        var vars = new java.util.LinkedHashMap<String, String>();
        vars.put("IDSYNC_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        vars.put("IDSYNC_DB_URL", postgres.jdbcUrl());
        vars.put("IDSYNC_DB_USER", postgres.username());
        vars.put("IDSYNC_DB_PASSWORD", postgres.password());
        return new EnvFile(vars);
    }

    String content() {
        return variables.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * Writes the file readable by its owner only (it holds a password): created with mode 600 next to the
     * target and moved into place, so no reader ever sees it half written or with looser permissions.
     */
    void writeTo(Path target) {
        Path absolute = target.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content());
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + absolute, e);
        }
    }
}
