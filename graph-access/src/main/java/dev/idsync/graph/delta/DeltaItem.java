package dev.idsync.graph.delta;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One object of a delta page.
 *
 * @param id           object id
 * @param properties   the object's properties in this page (without annotations); on a follow-up round the
 *                     changed ones, where an explicit null means "cleared"
 * @param removed      present when Graph reported the object {@code @removed}
 * @param membersDelta {@code members@delta} of a group or directory role; empty for users. A large group's
 *                     members are spread over several items with the same id.
 * @param raw          the item exactly as Graph sent it, annotations included
 */
public record DeltaItem(String id, Map<String, Object> properties, Optional<RemovalReason> removed,
                        List<MemberDelta> membersDelta, Map<String, Object> raw) {

    public boolean isRemoved() {
        return removed.isPresent();
    }

    /** @return whether the page carried the property at all (absent = unchanged on follow-up rounds) */
    public boolean has(String property) {
        return properties.containsKey(property);
    }
}
