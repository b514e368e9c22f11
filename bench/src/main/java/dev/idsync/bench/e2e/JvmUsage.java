package dev.idsync.bench.e2e;

/**
 * One JVM's resource use over its life in the run.
 *
 * @param peakHeapMib     the largest heap occupancy before a collection (what the heap held at its fullest)
 * @param gcShare         GC pause time / lifetime
 * @param peakRssMib      VmHWM
 */
record JvmUsage(String name, double peakHeapMib, int gcPauses, double gcSeconds, double lifetimeSeconds,
                double peakRssMib) {

    double gcShare() {
        return lifetimeSeconds <= 0 ? 0 : gcSeconds / lifetimeSeconds;
    }

    String line() {
        return String.format("%-14s peak heap %6.1f MiB, peak RSS %6.1f MiB, GC %4d pauses %6.2f s = %5.1f %% of %6.1f s",
                name, peakHeapMib, peakRssMib, gcPauses, gcSeconds, 100 * gcShare(), lifetimeSeconds);
    }
}
