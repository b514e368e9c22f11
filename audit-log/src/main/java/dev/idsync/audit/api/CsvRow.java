package dev.idsync.audit.api;

import java.time.Instant;

/** CSV lines (RFC 4180) of the audit export. */
final class CsvRow {

    static final String HEADER =
            "seq,ce_id,type,source,topic,tenant_id,object_id,actor,run_id,occurred_at,recorded_at,hash,payload\r\n";

    private CsvRow() {
    }

    static String of(AuditEventView v) {
        StringBuilder line = new StringBuilder(256 + (v.payload() == null ? 0 : v.payload().length()));
        line.append(v.seq());
        for (Object value : new Object[] {v.ceId(), v.type(), v.source(), v.topic(), v.tenantId(), v.objectId(),
                v.actor(), v.runId(), v.occurredAt(), v.recordedAt(), v.hash(),
                v.payload() != null ? v.payload() : v.payloadBase64()}) {
            line.append(',');
            field(line, value);
        }
        return line.append("\r\n").toString();
    }

    private static void field(StringBuilder line, Object value) {
        if (value == null) {
            return;
        }
        String text = value instanceof Instant i ? i.toString() : value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            line.append(text);
        } else {
            line.append('"').append(text.replace("\"", "\"\"")).append('"');
        }
    }
}
