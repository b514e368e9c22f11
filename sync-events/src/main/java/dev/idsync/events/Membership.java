package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * The {@code data} of a membership event: the member. The container (group or directory role) is the
 * event's {@code objectId}, so that one container's changes share a key and stay ordered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Membership(String memberId, MemberType memberType) {

    public Membership {
        Checks.notBlank(memberId, "memberId");
        Objects.requireNonNull(memberType, "memberType");
    }
}
