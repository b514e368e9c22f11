package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.idsync.events.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main as the local stack runs it: its own JVM, stopped with SIGTERM. */
class LocalInfraMainTest {

    @Test
    void startsBothWritesTheEnvFileAndCleansUpOnSigterm(@TempDir Path tmp) throws Exception {
        Path workDir = TestDirs.traversable(tmp).resolve("work");
        Path envFile = tmp.resolve("env/idsync.env");
        Process main = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LocalInfraMain.class.getName(),
                "--env-file", envFile.toString(), "--work-dir", workDir.toString(),
                // Not the contract's ports: a running local stack must not change what this test does.
                "--kafka-port", "0", "--postgres-port", "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String ready = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> readyLine(main));
            assertThat(ready).startsWith(LocalInfraMain.READY_PREFIX).contains("kafka=127.0.0.1:", "postgres=jdbc:postgresql://");

            assertThat(Files.getPosixFilePermissions(envFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            Properties env = new Properties();
            try (Reader in = Files.newBufferedReader(envFile)) {
                env.load(in);
            }
            assertThat(env.stringPropertyNames())
                    .containsExactlyInAnyOrder("IDSYNC_KAFKA_BOOTSTRAP", "IDSYNC_DB_URL", "IDSYNC_DB_USER", "IDSYNC_DB_PASSWORD");
            try (Connection c = LocalPostgres.connect(env.getProperty("IDSYNC_DB_URL"), env.getProperty("IDSYNC_DB_USER"),
                    env.getProperty("IDSYNC_DB_PASSWORD"))) {
                assertThat(c.isValid(5)).isTrue();
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.getProperty("IDSYNC_KAFKA_BOOTSTRAP")))) {
                assertThat(admin.listTopics().names().get()).containsAll(IdsyncTopics.withDeadLetters()).contains(Topics.dlq(Topics.USERS));
            }

            main.destroy(); // SIGTERM
            assertThat(main.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(envFile).doesNotExist();
            assertThat(workDir).doesNotExist();
        } finally {
            main.destroyForcibly();
        }
    }

    /** Reads the main's stdout (a blocking read) up to its ready line. */
    private static String readyLine(Process main) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(main.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(LocalInfraMain.READY_PREFIX)) {
                return line;
            }
        }
        throw new AssertionError("the main exited with " + main.waitFor() + " before it was ready");
    }

}
