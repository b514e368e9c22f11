package dev.idsync.systemtests.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Measured durations: printed and appended to target/system-tests/timings.txt for the README. */
public final class Timings {

    private Timings() {
    }

    public static void report(String scenario, String line) {
        String text = "SYSTEM-TESTS " + scenario + ": " + line;
        System.out.println(text);
        Path file = Path.of(System.getProperty("idsync.system-tests.work", "target/system-tests"), "timings.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Instant.now() + " " + text + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
