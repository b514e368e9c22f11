package dev.idsync.infra;

import java.security.SecureRandom;
import java.util.Base64;

/** Generated at every start: no password of a local server is ever written into the repository. */
final class Passwords {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    /** 144 random bits, URL-safe Base64: only {@code [A-Za-z0-9_-]}, so it is safe in SQL and env files. */
    static String generate() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
