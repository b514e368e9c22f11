package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    @Test
    void writesKeyValueLinesReadableByTheOwnerOnly(@TempDir Path dir) throws Exception {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("IDSYNC_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
        vars.put("IDSYNC_DB_PASSWORD", "s3cret");
        Path file = dir.resolve("sub/idsync.env");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "stale");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        new EnvFile(vars).writeTo(file);

        assertThat(file).hasContent("IDSYNC_KAFKA_BOOTSTRAP=127.0.0.1:19092\nIDSYNC_DB_PASSWORD=s3cret\n");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var entries = Files.list(file.getParent())) {
            assertThat(entries.toList()).containsExactly(file); // no temp file left over
        }
    }
}
