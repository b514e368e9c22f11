package dev.idsync.emulator.control;

/** The control API was asked about a tenant that does not exist. */
final class TenantNotFoundException extends RuntimeException {

    TenantNotFoundException(String tenantId) {
        super("no tenant '" + tenantId + "'");
    }
}
