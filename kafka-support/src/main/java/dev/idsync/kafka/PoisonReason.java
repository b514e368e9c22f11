package dev.idsync.kafka;

/**
 * Why a consumer set a record aside; the value of the {@code dlq-reason} header and of the {@code reason}
 * tag of {@code idsync_dead_letters_total}. The codes are a contract (docs/CONTRACT.md): add, never rename.
 */
public enum PoisonReason {
    /** The value is not JSON at all (or is empty). */
    NOT_JSON("not-json"),
    /** JSON, but not a CloudEvent idsync can read: the {@code ce_*} headers are missing or malformed. */
    NOT_A_CLOUD_EVENT("not-a-cloudevent"),
    /** A CloudEvent whose {@code ce_type} this version does not know. */
    UNKNOWN_TYPE("unknown-type"),
    /** A known type whose body violates the type's JSON Schema (sync-events {@code schemas/<type>.json}) or does not bind. */
    SCHEMA_VIOLATION("schema-violation"),
    /** A valid event of a tenant that is not configured in idsync.yaml. */
    UNKNOWN_TENANT("unknown-tenant"),
    /** The database refused the record for good (SQL state class 22 or 23), e.g. a value too long or a NUL byte. */
    REFUSED_BY_DATABASE("refused-by-database");

    private final String code;

    PoisonReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The reason of a code ({@code not-json} → {@link #NOT_JSON}). */
    public static PoisonReason ofCode(String code) {
        for (PoisonReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("no poison reason " + code);
    }
}
