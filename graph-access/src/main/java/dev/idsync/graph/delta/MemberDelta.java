package dev.idsync.graph.delta;

import java.util.Map;
import java.util.Optional;

/**
 * One entry of {@code members@delta}: a member added, or ended when {@code removed} is present.
 *
 * @param odataType e.g. {@code #microsoft.graph.user}, {@code #microsoft.graph.group}
 * @param raw       the entry exactly as Graph sent it
 */
public record MemberDelta(String id, String odataType, Optional<RemovalReason> removed, Map<String, Object> raw) {

    public boolean isRemoval() {
        return removed.isPresent();
    }

    public boolean isUser() {
        return "#microsoft.graph.user".equals(odataType);
    }
}
