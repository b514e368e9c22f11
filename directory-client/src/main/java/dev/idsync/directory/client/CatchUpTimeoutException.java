package dev.idsync.directory.client;

/** The replica did not reach the offsets a caller waited for within the time it allowed. */
public final class CatchUpTimeoutException extends RuntimeException {

    CatchUpTimeoutException(String message) {
        super(message);
    }
}
