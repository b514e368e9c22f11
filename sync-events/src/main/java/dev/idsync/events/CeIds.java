package dev.idsync.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic CloudEvents ids ({@code ce_id}) so consumers can deduplicate at-least-once delivery.
 *
 * <p>The id is a name-based UUID (version 5, SHA-1, RFC 9562) in the {@link #NAMESPACE idsync
 * namespace} over {@code type + "\n" + canonical body without observedAt}. Why exactly that input:
 * <ul>
 *   <li><b>Without {@code observedAt}</b>: it is Graph's response {@code Date}. When the same change is
 *       read again within the run (a page retried after a timeout, a 429 or a 5xx; a publish retried
 *       after a failed send), the date differs but it is the same change, so it must get the same id
 *       or deduplication would never trigger.</li>
 *   <li><b>With {@code runId} and {@code epoch}</b> (they are part of the body): if an attribute flips
 *       A→B→A, the second A arrives in a later run and must <em>not</em> be dropped as a duplicate of the
 *       first A. Including the run makes it a new id. The price is that a change replayed by a
 *       <em>different</em> run (the run after a crash repeats the pages since the last checkpoint) gets
 *       a new id; that is safe because consumers are idempotent by state as well (an upsert of
 *       identical data, the observedAt rule), so the id is a cheap first filter, not the only one.</li>
 *   <li><b>With the type</b>: an added and a removed membership have the same body shape.</li>
 *   <li><b>Canonical JSON</b> (sorted keys): the attribute map's iteration order must not change the id.</li>
 *   <li><b>With a scope</b> where one is given: delta-processor publishes what it <em>decided</em> with the
 *       scope {@value #DECIDED}, so a decision whose body equals the observation it came from (a user's
 *       first sighting, say) still has an id of its own: the audit keeps both.</li>
 * </ul>
 */
public final class CeIds {

    /** RFC 9562's predefined URL namespace. */
    private static final UUID URL_NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /** The namespace of all idsync ids. Never change it: every id, and with it deduplication, would change. */
    public static final UUID NAMESPACE = uuid5(URL_NAMESPACE, "urn:idsync:ce_id");

    private CeIds() {
    }

    /**
     * The {@code ce_id} of an event. An {@link UnrecognizedEvent} keeps the id it was received with,
     * since this version cannot know what the newer producer hashed.
     */
    public static String of(SyncEvent event) {
        return of(null, event);
    }

    /** The scope of what delta-processor decided (the directory topics and its gate decisions). */
    public static final String DECIDED = "decided";

    /** The {@code ce_id} of an event within {@code scope}; a null scope is {@link #of(SyncEvent)}. */
    public static String of(String scope, SyncEvent event) {
        if (event instanceof UnrecognizedEvent unrecognized && unrecognized.id() != null) {
            return unrecognized.id();
        }
        ObjectNode body = EventJson.tree(event);
        if (scope == null) {
            body.remove("observedAt");
        }
        String name = event.ceType() + "\n" + EventJson.canonical(body);
        return uuid5(NAMESPACE, scope == null ? name : scope + "\n" + name).toString();
    }

    /** A version-5 (SHA-1) name-based UUID as specified in RFC 9562, section 5.5. */
    static UUID uuid5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bits.getLong(), bits.getLong());
    }
}
