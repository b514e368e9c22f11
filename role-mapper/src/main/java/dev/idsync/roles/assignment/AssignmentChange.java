package dev.idsync.roles.assignment;

import dev.idsync.roles.Cause;
import dev.idsync.roles.UserRef;

/** An assignment that was actually granted or revoked: becomes exactly one role-assignment event. */
public record AssignmentChange(UserRef user, Assignment assignment, boolean granted, Cause cause) {
}
