package dev.idsync.console;

import io.quarkus.qute.TemplateData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One answer of a service's API: the status and the JSON body, or, when the call did not get an answer at
 * all, status 503 with a problem of the console's own saying so. Errors are the services' problem+json
 * ({@code title}, {@code detail}, {@code errors[].field/message}), which the pages show as they are.
 */
@TemplateData
public record ApiResult(int status, JsonNode body) {

    public ApiResult {
        body = body == null ? MissingNode.getInstance() : body;
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String title() {
        return body.path("title").asText("HTTP " + status);
    }

    public String detail() {
        return body.path("detail").asText("");
    }

    /** The field-level errors of a problem, as {@code field → message}. */
    public List<FieldMessage> errors() {
        List<FieldMessage> errors = new ArrayList<>();
        body.path("errors").forEach(e -> errors.add(new FieldMessage(e.path("field").asText(""),
                e.path("message").asText(""))));
        return errors;
    }

    /** The message for one field, or null: what a form shows next to that field. */
    public String errorFor(String field) {
        return errors().stream().filter(e -> e.field().equals(field) || e.field().endsWith("." + field))
                .map(FieldMessage::message).findFirst().orElse(null);
    }

    @TemplateData
    public record FieldMessage(String field, String message) {
    }
}
