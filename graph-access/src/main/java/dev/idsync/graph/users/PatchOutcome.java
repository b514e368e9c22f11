package dev.idsync.graph.users;

import com.microsoft.graph.models.User;

/**
 * Result of a pessimistic profile write: only {@link Updated} carries data, and that data was re-read
 * from Graph after the PATCH, so nothing local claims a value Entra has not confirmed.
 */
public sealed interface PatchOutcome {

    /** The PATCH succeeded; {@code confirmed} is the user as Graph returns it afterwards. */
    record Updated(User confirmed) implements PatchOutcome {
    }

    /** 404 {@code Request_ResourceNotFound}. */
    record NotFound(String message) implements PatchOutcome {
    }

    /** 403 {@code Authorization_RequestDenied}: the app lacks a write permission. */
    record Denied(String message) implements PatchOutcome {
    }

    /** 400: Graph refused a value; {@code message} names the property as Graph does. */
    record Rejected(String code, String message) implements PatchOutcome {
    }
}
