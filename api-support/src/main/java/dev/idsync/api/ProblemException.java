package dev.idsync.api;

import java.util.List;

/**
 * Thrown by an endpoint to answer with a problem: 404 for an unknown tenant, 409 for a run already
 * active, 422 for a semantically invalid request, ... Rendered by {@link ProblemMappers}.
 */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(title + ": " + detail);
        this.problem = Problem.of(status, title, detail, errors);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException badRequest(String field, String message) {
        return new ProblemException(400, "Bad Request", field + ": " + message, List.of(new FieldError(field, message)));
    }

    public static ProblemException unprocessable(List<FieldError> errors) {
        return new ProblemException(422, "Unprocessable Content", errors.size() + " invalid field(s)", errors);
    }

    public Problem problem() {
        return problem;
    }
}
