package dev.idsync.emulator.delta;

import dev.idsync.emulator.directory.ObjectKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps recently started follow-up rounds so their later pages need not replay the log. Only an
 * optimisation: a plan is a pure function of the log window, so a miss simply recomputes it.
 */
final class ChangePlanCache {

    record Key(String tenantId, int generation, ObjectKind kind, long fromSeq, long toSeq, long selectMask,
               boolean members) {
    }

    private final int capacity;
    private final Map<Key, ChangePlan> plans;

    ChangePlanCache(int capacity) {
        this.capacity = capacity;
        this.plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, ChangePlan> eldest) {
                return size() > ChangePlanCache.this.capacity;
            }
        };
    }

    ChangePlan get(Key key, Supplier<ChangePlan> compute) {
        synchronized (plans) {
            ChangePlan cached = plans.get(key);
            if (cached != null) {
                return cached;
            }
        }
        ChangePlan plan = compute.get();
        synchronized (plans) {
            plans.put(key, plan);
        }
        return plan;
    }
}
