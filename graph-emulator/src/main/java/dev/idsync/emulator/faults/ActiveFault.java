package dev.idsync.emulator.faults;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/** A fault rule in force, with its remaining budget. */
public final class ActiveFault {

    private final String id;
    private final FaultSpec spec;
    private final Pattern path;
    private final Random random;
    private int remaining;
    private int applied;

    ActiveFault(String id, FaultSpec spec) {
        this.id = id;
        this.spec = spec;
        this.path = Pattern.compile(spec.path());
        this.random = new Random(spec.seed() == null ? 1L : spec.seed());
        this.remaining = spec.count() == null ? Integer.MAX_VALUE : spec.count();
    }

    public String id() {
        return id;
    }

    public FaultSpec spec() {
        return spec;
    }

    public synchronized int applied() {
        return applied;
    }

    public synchronized int remaining() {
        return spec.count() == null ? -1 : remaining;
    }

    /** Decides whether this request is hit, consuming one unit of the budget if so. */
    synchronized boolean tryApply(String method, String requestPath) {
        if (remaining <= 0) {
            return false;
        }
        if (spec.method() != null && !spec.method().toUpperCase(Locale.ROOT).equals(method)) {
            return false;
        }
        if (!path.matcher(requestPath).find()) {
            return false;
        }
        if (spec.ratio() != null && random.nextDouble() >= spec.ratio()) {
            return false;
        }
        remaining--;
        applied++;
        return true;
    }
}
