package dev.idsync.emulator.directory;

import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which delta and skip tokens of a tenant are still valid, per resource. A token names the generation of
 * its resource it was issued in; a reset or an explicit invalidation opens the next generation of the
 * resources it concerns, so their older tokens are refused (in the form recorded with the invalidation)
 * while the other resources' tokens keep working, as when Graph expires one resource's sync state only.
 */
final class TokenGenerations {

    private record Generation(int number, ExpiredTokenResponse refusedAs) {
    }

    private final Map<ObjectKind, Generation> current = new EnumMap<>(ObjectKind.class);

    TokenGenerations() {
        for (ObjectKind kind : ObjectKind.values()) {
            current.put(kind, new Generation(1, ExpiredTokenResponse.SYNC_STATE_NOT_FOUND));
        }
    }

    synchronized int current(ObjectKind kind) {
        return current.get(kind).number();
    }

    /** How a token of an older generation of {@code kind} is answered. */
    synchronized ExpiredTokenResponse refusedAs(ObjectKind kind) {
        return current.get(kind).refusedAs();
    }

    synchronized void invalidate(Collection<ObjectKind> kinds, ExpiredTokenResponse response) {
        for (ObjectKind kind : kinds) {
            current.put(kind, new Generation(current.get(kind).number() + 1, response));
        }
    }

    /** The current generation per resource, by the resource's name in URLs ({@code users}, ...). */
    synchronized Map<String, Integer> byResource() {
        Map<String, Integer> view = new LinkedHashMap<>();
        current.forEach((kind, generation) -> view.put(kind.entitySet(), generation.number()));
        return view;
    }
}
