package dev.idsync.poller.run;

/** The run stopped at a page boundary because the instance is shutting down; its checkpoint is stored. */
final class RunInterrupted extends RuntimeException {
    RunInterrupted(String message) {
        super(message);
    }
}
