package dev.idsync.profile.update;

import dev.idsync.profile.local.LocalFields;
import java.util.Map;
import java.util.Optional;

/**
 * A validated update: the Entra properties to write (an explicit null clears one) and, when the request
 * had a {@code local} section, the complete new local-only fields (which never go to Entra).
 */
public record ProfilePatch(Map<String, Object> entra, Optional<LocalFields> local) {

    public ProfilePatch {
        entra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entra));
    }

    public boolean isEmpty() {
        return entra.isEmpty() && local.isEmpty();
    }
}
