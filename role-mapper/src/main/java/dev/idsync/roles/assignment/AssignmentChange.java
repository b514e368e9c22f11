package dev.idsync.roles.assignment;

import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;

/**
 * An assignment that was actually granted or revoked: becomes exactly one role-assignment event.
 *
 * @param regrant a grant of a row the user already holds, only its path (the why) changed
 */
public record AssignmentChange(UserRef user, Assignment assignment, boolean granted, Cause cause, boolean regrant) {

    public AssignmentChange(UserRef user, Assignment assignment, boolean granted, Cause cause) {
        this(user, assignment, granted, cause, false);
    }
}
