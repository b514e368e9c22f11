package dev.idsync.emulator.lifecycle;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Ends the emulator when the process that launched it ends, also after a kill -9 of that process.
 *
 * <p>Why: tests start the emulator as a child JVM (local-infra's EmulatorResource); a test JVM killed
 * hard would otherwise leave an emulator holding its ports until someone notices.
 */
@ApplicationScoped
public class ParentProcessWatch {

    private static final Logger LOG = Logger.getLogger(ParentProcessWatch.class);

    private final Optional<Long> parentPid;

    ParentProcessWatch(@ConfigProperty(name = "idsync.emulator.parent-pid") Optional<Long> parentPid) {
        this.parentPid = parentPid;
    }

    void watch(@Observes StartupEvent event) {
        parentPid.ifPresent(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    LOG.infof("parent process %d ended; stopping", pid);
                    Quarkus.asyncExit();
                }),
                () -> {
                    LOG.warnf("parent process %d is already gone; stopping", pid);
                    Quarkus.asyncExit();
                }));
    }
}
