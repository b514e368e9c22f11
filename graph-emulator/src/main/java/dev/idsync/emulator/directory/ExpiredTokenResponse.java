package dev.idsync.emulator.directory;

/** The two ways Graph tells a client its delta or skip token can no longer be used. */
public enum ExpiredTokenResponse {
    /** 400 Bad Request with OData error code {@code syncStateNotFound} (what expired identity tokens get). */
    SYNC_STATE_NOT_FOUND,
    /** 410 Gone with a {@code Location} header pointing at a fresh initial delta query. */
    GONE
}
