package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * The {@code data} of a {@code *.removed.v2} event.
 *
 * @param reason    why the object left the directory
 * @param decidedBy nullable: on the directory topics, who let the deletion through the accidental-delete
 *                  gate when an administrator approved it (the token's subject); absent when the gate let
 *                  it through by itself and on observations
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Removal(RemovalReason reason, String decidedBy) {

    public Removal {
        Objects.requireNonNull(reason, "reason");
    }

    public Removal(RemovalReason reason) {
        this(reason, null);
    }
}
