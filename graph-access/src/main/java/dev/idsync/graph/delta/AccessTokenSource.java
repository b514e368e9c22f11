package dev.idsync.graph.delta;

import java.util.concurrent.CompletableFuture;

/** Supplies bearer tokens for Graph without blocking the caller. */
public interface AccessTokenSource {

    CompletableFuture<String> token();

    /** Forget the current token (Graph rejected it); the next {@link #token()} fetches a new one. */
    void invalidate();
}
