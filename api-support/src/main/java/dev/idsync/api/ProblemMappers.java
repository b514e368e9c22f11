package dev.idsync.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every error of an idsync API into {@code application/problem+json}: the client always gets a
 * body that says what was wrong and, for bad input, which field. Unexpected failures are logged here
 * and answered without internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(Problem.of(401, "Unauthorized",
                        "a valid bearer token of idsync's OIDC issuer is required", List.of()).toResponse())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "Forbidden", "the token lacks the role this operation needs", List.of()).toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        return Problem.of(422, "Unprocessable Content", errors.size() + " invalid field(s)", errors).toResponse();
    }

    // MismatchedInputException named too: Quarkus' own mapper for it would otherwise answer plain JSON.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class})
    public Response unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body")
                : "body";
        String message = e.getOriginalMessage();
        return Problem.of(400, "Bad Request", "the request body is not valid JSON for this operation",
                List.of(new FieldError(field, message))).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // Quarkus' JSON reader reports a body that is not JSON at all (or has trailing tokens) as a bare 400
        // wrapping Jackson's exception: name the field like every other unreadable body.
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable);
        }
        if (e.getCause() instanceof ProblemException problem) { // a parameter converter's refusal, wrapped by JAX-RS
            return problem(problem);
        }
        Response original = e.getResponse();
        if (original.getStatus() >= 500) {
            LOG.error("request failed", e);
        }
        Response.StatusType status = original.getStatusInfo();
        return Problem.of(status.getStatusCode(), status.getReasonPhrase(), e.getMessage(), List.of()).toResponse();
    }

    /** The invalid parameter as the client names it: {@code create.arg0.mode} → {@code mode}. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        String last = null;
        int depth = 0;
        StringBuilder path = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            depth++;
            if (depth <= 2 && (node.getKind() == jakarta.validation.ElementKind.METHOD
                    || node.getKind() == jakarta.validation.ElementKind.PARAMETER)) {
                last = node.getName();
                continue;
            }
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(node.getName());
        }
        return path.isEmpty() ? (last == null ? "request" : last) : path.toString();
    }
}
