package dev.idsync.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem body ({@code application/problem+json}); {@code errors} names each rejected
 * field so a client can show it beside the input.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

    public Problem {
        type = type == null ? "about:blank" : type;
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String title, String detail, List<FieldError> errors) {
        return new Problem(null, title, status, detail, errors);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
