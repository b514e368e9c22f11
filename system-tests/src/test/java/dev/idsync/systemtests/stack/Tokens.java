package dev.idsync.systemtests.stack;

import dev.idsync.infra.test.TestTokens;

/**
 * Bearer tokens for idsync's APIs, minted by the emulator's demo tenant (the stack's OIDC issuer) with
 * idsync's roles as in docs/CONTRACT.md; cached per stack, they live about an hour.
 */
public final class Tokens {

    public static final String ADMIN = "idsync.admin";
    public static final String WRITER = "idsync.writer";
    public static final String READER = "idsync.reader";

    private final String emulatorUrl;
    private String admin;
    private String writer;
    private String reader;

    public Tokens(Stack stack) {
        this.emulatorUrl = stack.emulatorUrl();
    }

    public synchronized String admin() {
        if (admin == null) {
            admin = TestTokens.bearer(emulatorUrl, ADMIN);
        }
        return admin;
    }

    public synchronized String writer() {
        if (writer == null) {
            writer = TestTokens.bearer(emulatorUrl, WRITER);
        }
        return writer;
    }

    public synchronized String reader() {
        if (reader == null) {
            reader = TestTokens.bearer(emulatorUrl, READER);
        }
        return reader;
    }

    /** A token of a named user of the demo tenant (so it carries the user's name claims), with these roles. */
    public String forUser(String demoUserId, String... roles) {
        return TestTokens.bearerForUser(emulatorUrl, demoUserId, roles);
    }
}
