package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * The {@code data} of {@code dev.idsync.profile.updated.v1}: what Graph returned when re-read after a
 * successful PATCH, never what was merely requested (DESIGN invariant 1).
 *
 * @param actor  who asked for the change (the token's subject or user name)
 * @param before the changed attributes before the update; null values mean "was empty"
 * @param after  the same attributes as re-read from Graph; null values mean "cleared"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileUpdate(String actor, Map<String, Object> before, Map<String, Object> after) {

    public ProfileUpdate {
        Checks.notBlank(actor, "actor");
        before = Checks.attributesOrEmpty(before);
        after = Checks.attributesOrEmpty(after);
    }
}
