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
            if (!fault.spec().type().isNotification() && fault.tryApply(method, path)) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    /**
     * The notification fault that hits one outgoing notification to {@code urlPath}; faults of incoming
     * requests never apply to notifications (and notification faults never to requests).
     */
    public Optional<ActiveFault> matchNotification(String urlPath) {
        for (ActiveFault fault : faults) {
            FaultType type = fault.spec().type();
            if (type.isNotification() && fault.tryApply("POST", urlPath)) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }
}
