package dev.idsync.emulator.control;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details for the control API (idsync's own API style, unlike the Graph endpoints). */
final class Problems {

    static final String TYPE = "application/problem+json";

    private Problems() {
    }

    static Response of(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type(TYPE).entity(body).build();
    }

    static Response badRequest(String detail) {
        return of(400, "Bad Request", detail);
    }

    static Response notFound(String detail) {
        return of(404, "Not Found", detail);
    }

    static Response conflict(String detail) {
        return of(409, "Conflict", detail);
    }
}
