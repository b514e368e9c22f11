package dev.idsync.poller.state;

import java.util.Map;

/** A run's counters as stored with every checkpoint, so GET shows progress while the run is active. */
public record RunProgress(String runId, long pages, Map<String, Long> counts) {

    public RunProgress {
        counts = Map.copyOf(counts);
    }
}
