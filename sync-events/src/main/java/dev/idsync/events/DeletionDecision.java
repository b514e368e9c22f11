package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code data} of a {@link DeletionsDecided} event: what the accidental-delete gate did with the
 * deletions of one run.
 *
 * @param decision     see {@link Decision}
 * @param deletions    how many deletions the decision covers
 * @param byReason     those deletions per removal reason ({@code softDeleted}, {@code notSeenInFullSync}, …)
 * @param liveObjects  the tenant's active objects when the gate counted, so {@code deletions / liveObjects}
 *                     is the share of the tenant
 * @param decidedBy    nullable: the administrator (token subject) for {@code approved} and {@code rejected}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeletionDecision(Decision decision, long deletions, Map<String, Long> byReason, long liveObjects,
                               String decidedBy) {

    public DeletionDecision {
        Objects.requireNonNull(decision, "decision");
        if (deletions < 0 || liveObjects < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        byReason = Checks.counts(byReason);
    }

    /** What the gate did. */
    public enum Decision {
        /** At or below the threshold: applied (published) without an administrator. */
        RELEASED("released"),
        /** Above the threshold: held, on no directory topic until approved. */
        HELD("held"),
        /** An administrator let held deletions through: now applied and published. */
        APPROVED("approved"),
        /** An administrator refused held deletions: never applied, never published. */
        REJECTED("rejected");

        private final String json;

        Decision(String json) {
            this.json = json;
        }

        @JsonValue
        public String json() {
            return json;
        }

        public static Optional<Decision> fromJson(String json) {
            for (Decision d : values()) {
                if (d.json.equals(json)) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }
    }
}
