package dev.idsync.emulator.control;

import dev.idsync.emulator.directory.DirectoryException;
import jakarta.ws.rs.core.Response;

/**
 * Problem responses for the control API. Each control resource delegates its exception mappers here, so
 * they stay local to the control API and do not change how Graph endpoints answer.
 */
final class ControlExceptionMappers {

    private ControlExceptionMappers() {
    }

    static Response map(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException w) {
            return Problems.of(w.getResponse().getStatus(), w.getResponse().getStatusInfo().getReasonPhrase(), w.getMessage());
        }
        if (e instanceof TenantNotFoundException) {
            return Problems.notFound(e.getMessage());
        }
        if (e instanceof DirectoryException d) {
            return Problems.of(d.status(), d.code(), d.getMessage());
        }
        if (e instanceof IllegalStateException) {
            return Problems.conflict(e.getMessage());
        }
        return Problems.badRequest(e.getMessage());
    }
}
