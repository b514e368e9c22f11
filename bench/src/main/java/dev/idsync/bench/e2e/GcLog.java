package dev.idsync.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code -Xlog:gc} file read back: each pause line ends {@code <before>M-><after>M(<capacity>M) <ms>ms}.
 * The heap's peak is the largest "before" (the most it held when a collection had to run); an idle JVM
 * that never collected reports 0.
 */
record GcLog(double peakHeapMib, int pauses, double pauseSeconds) {

    private static final Pattern PAUSE = Pattern.compile("Pause .*? (\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

    static GcLog read(Path file) {
        double peak = 0;
        int pauses = 0;
        double millis = 0;
        try {
            if (!Files.exists(file)) {
                return new GcLog(-1, 0, 0);
            }
            for (String line : Files.readAllLines(file)) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    pauses++;
                    peak = Math.max(peak, Double.parseDouble(m.group(1)));
                    millis += Double.parseDouble(m.group(4));
                }
            }
        } catch (IOException e) {
            return new GcLog(-1, 0, 0);
        }
        return new GcLog(peak, pauses, millis / 1000);
    }
}
