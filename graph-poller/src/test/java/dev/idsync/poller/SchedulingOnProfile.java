package dev.idsync.poller;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Scheduling on (the default test profile turns it off, so no other test meets scheduled runs), with the
 * full-sync checks and retries short enough for a test. One profile for every scheduling test, so Quarkus
 * starts once for them.
 */
public class SchedulingOnProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("idsync.poller.scheduler.enabled", "true",
                "idsync.poller.full-sync.check-every", "500ms",
                "idsync.poller.full-sync.retry-after", "3s");
    }
}
