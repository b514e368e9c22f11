package dev.idsync.emulator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** One clock for token lifetimes and timestamps, replaceable in tests by an alternative producer. */
public class EmulatorClock {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
