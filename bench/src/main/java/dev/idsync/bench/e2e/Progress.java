package dev.idsync.bench.e2e;

import java.io.PrintStream;

/** One line, rewritten in place while a phase runs: pages, objects, rate and the time still to go. */
final class Progress {

    private final PrintStream out;
    private final long expected;
    private final long start = System.nanoTime();
    private long lastPrint;

    Progress(PrintStream out, long expected) {
        this.out = out;
        this.expected = expected;
    }

    void show(String phase, long pages, long objects, String extra) {
        long now = System.nanoTime();
        if (now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        double seconds = (now - start) / 1e9;
        double rate = objects / Math.max(seconds, 1e-3);
        String eta = rate > 0 && objects < expected ? String.format("%.0f s", (expected - objects) / rate) : "-";
        out.printf("\r%-10s %6.1f s  pages %,7d  objects %,10d / %,d  %,8.0f /s  ETA %-6s %s    ",
                phase, seconds, pages, objects, expected, rate, eta, extra);
        out.flush();
    }

    void done() {
        out.println();
    }
}
