package dev.idsync.kafka;

import java.util.Objects;

/** Why one record is poison: the reason code and a human-readable detail (never a secret: no record body). */
public record Poison(PoisonReason reason, String detail) {

    public Poison {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }
}
