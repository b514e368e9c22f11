package dev.idsync.emulator.graph;

import java.util.Map;

/**
 * A Graph-style failure: HTTP status plus OData error code and message, rendered by
 * {@link GraphErrorMapper} as {@code {"error":{"code":..,"message":..,"innerError":{..}}}}.
 */
public class GraphError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public GraphError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public GraphError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static GraphError badRequest(String message) {
        return new GraphError(400, "Request_BadRequest", message);
    }

    public static GraphError forbidden() {
        return new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }

    public static GraphError notFound(String id) {
        return new GraphError(404, "Request_ResourceNotFound",
                "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.");
    }
}
