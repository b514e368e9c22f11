package dev.idsync.processor.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The deletions the accidental-delete protection holds for a tenant, as an admin needs them to decide:
 * grouped by run, then by reason and kind, each with its share of the tenant's live objects of that kind
 * ("540 of 540 users, 100 %"), so a sweep gone wrong stands out before anyone approves it; and the held
 * deletions themselves, paged.
 *
 * @param count all held deletions of the tenant
 * @param items one page of them (ordered by run and object)
 */
public record PendingDeletions(String tenantId, long count, List<Run> runs, List<Map<String, Object>> items,
        int page, int size) {

    /** One run's held deletions; {@code completedAt} is when the run ended (null outside any run). */
    public record Run(String runId, String mode, Instant completedAt, long count, List<Group> groups) {
    }

    /**
     * Held deletions of one reason and kind in a run.
     *
     * @param liveObjects the tenant's active objects of this kind now (held deletions are still active)
     * @param percent     {@code count} as a percentage of {@code liveObjects}, one decimal
     * @param share       the same in words, e.g. {@code 540 of 540 users, 100 %}
     */
    public record Group(String reason, String kind, long count, long liveObjects, BigDecimal percent, String share) {

        static Group of(String reason, String kind, long count, long liveObjects) {
            BigDecimal percent = liveObjects == 0 ? BigDecimal.valueOf(100)
                    : BigDecimal.valueOf(count * 100).divide(BigDecimal.valueOf(liveObjects), 1, RoundingMode.HALF_UP)
                            .stripTrailingZeros();
            if (percent.scale() < 0) {
                percent = percent.setScale(0);
            }
            return new Group(reason, kind, count, liveObjects, percent,
                    count + " of " + liveObjects + " " + plural(kind) + ", " + percent.toPlainString() + " %");
        }

        private static String plural(String kind) {
            return switch (kind) {
                case "directoryRole" -> "directory roles";
                default -> kind + "s";
            };
        }
    }
}
