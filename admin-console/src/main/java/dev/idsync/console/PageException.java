package dev.idsync.console;

/** An API's refusal that ends the page: rendered by {@link PageExceptionMapper} as an error page with its status. */
public class PageException extends RuntimeException {

    private final ApiResult result;

    public PageException(ApiResult result) {
        super(result.status() + " " + result.title() + ": " + result.detail());
        this.result = result;
    }

    public ApiResult result() {
        return result;
    }

    /** The body of an answer that must be OK for the page to make sense, else the page is the error. */
    public static com.fasterxml.jackson.databind.JsonNode require(ApiResult result) {
        if (!result.ok()) {
            throw new PageException(result);
        }
        return result.body();
    }
}
