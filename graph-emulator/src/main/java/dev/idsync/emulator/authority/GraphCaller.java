package dev.idsync.emulator.authority;

import dev.idsync.emulator.directory.AppRegistration;
import dev.idsync.emulator.directory.Tenant;

/** The authenticated application behind a Graph request, and the tenant its token was issued for. */
public record GraphCaller(Tenant tenant, AppRegistration app) {
}
