package dev.idsync.roles;

/** A user of a tenant: the unit role evaluation, locking and events are about. */
public record UserRef(String tenantId, String userId) {
}
