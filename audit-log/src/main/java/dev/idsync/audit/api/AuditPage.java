package dev.idsync.audit.api;

import java.util.List;

/** One page of audit rows; {@code next} is the cursor of the following page, null after the last one. */
public record AuditPage(List<AuditEventView> items, String next) {
}
