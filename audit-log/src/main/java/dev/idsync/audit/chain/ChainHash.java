package dev.idsync.audit.chain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The chain's hash: {@code SHA-256(previous hash || canonical(row))}. The canonical form is every stored
 * column but the hash itself, each as a 4-byte length (-1 for null) followed by its bytes (strings UTF-8,
 * numbers and times as decimal text, times as epoch microseconds), so no two different rows share one:
 * changing, moving or renumbering a row breaks its hash and every link after it.
 */
public final class ChainHash {

    public static final int LENGTH = 32;
    /** The hash "before" a tenant's first row. */
    public static final byte[] GENESIS = new byte[LENGTH];

    private final MessageDigest sha256;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    public ChainHash() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The hash of {@code row} when it follows a row whose hash is {@code previous}; the row's own hash is ignored. */
    public byte[] next(byte[] previous, StoredEvent row) {
        sha256.reset();
        sha256.update(previous);
        sha256.update(canonical(row));
        return sha256.digest();
    }

    /** The bytes that are hashed for a row. Not thread-safe: one instance per writer or verifier. */
    public byte[] canonical(StoredEvent row) {
        buffer.reset();
        field(row.tenantId());
        field(Long.toString(row.seq()));
        field(micros(row.recordedAt()));
        field(row.ceId());
        field(row.ceType());
        field(row.ceSource());
        field(row.topic());
        field(row.objectId());
        field(row.actor());
        field(row.runId());
        field(micros(row.occurredAt()));
        field(row.payload());
        return buffer.toByteArray();
    }

    public static String hex(byte[] hash) {
        return hash == null ? null : HexFormat.of().formatHex(hash);
    }

    private static String micros(Instant time) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, time));
    }

    private void field(String value) {
        field(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private void field(byte[] value) {
        buffer.writeBytes(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            buffer.writeBytes(value);
        }
    }
}
