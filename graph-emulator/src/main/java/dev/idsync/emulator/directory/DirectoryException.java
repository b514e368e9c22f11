package dev.idsync.emulator.directory;

/**
 * A directory operation refused for a reason Graph would report, carrying Graph's error code and wording
 * so the HTTP layer can answer exactly as Graph does.
 */
public class DirectoryException extends RuntimeException {

    private final int status;
    private final String code;

    public DirectoryException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static DirectoryException notFound(String id) {
        return new DirectoryException(404, "Request_ResourceNotFound",
                "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.");
    }

    public static DirectoryException badRequest(String message) {
        return new DirectoryException(400, "Request_BadRequest", message);
    }
}
