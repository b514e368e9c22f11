package dev.idsync.emulator.faults;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Faults in force, matched in the order they were added; the first that applies wins. */
@ApplicationScoped
public class FaultRegistry {

    private final List<ActiveFault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    public ActiveFault add(FaultSpec spec) {
        ActiveFault fault = new ActiveFault("fault-" + ids.incrementAndGet(), spec);
        faults.add(fault);
        return fault;
    }

    public List<ActiveFault> all() {
        return List.copyOf(faults);
    }

    public boolean remove(String id) {
        return faults.removeIf(f -> f.id().equals(id));
    }

    public void clear() {
        faults.clear();
    }

    Optional<ActiveFault> match(String method, String path) {
        for (ActiveFault fault : faults) {
            if (fault.tryApply(method, path)) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }
}
