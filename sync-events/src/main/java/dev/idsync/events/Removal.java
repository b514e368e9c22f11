package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/** The {@code data} of a {@code *.removed.v1} event. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Removal(RemovalReason reason) {

    public Removal {
        Objects.requireNonNull(reason, "reason");
    }
}
