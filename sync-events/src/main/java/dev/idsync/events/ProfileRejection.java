package dev.idsync.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * The {@code data} of {@code dev.idsync.profile.update-rejected.v1}.
 *
 * @param actor     who asked for the change
 * @param reason    short machine-readable reason, e.g. {@code conflict}, {@code graphRejected}
 * @param status    the HTTP status returned to the caller (e.g. 409, 412, 400, 502)
 * @param detail    nullable: human-readable detail (never a secret); omitted from the JSON when null
 * @param requested the attributes the caller asked for; null values mean "clear"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileRejection(String actor, String reason, int status, String detail, Map<String, Object> requested) {

    public ProfileRejection {
        Checks.notBlank(actor, "actor");
        Checks.notBlank(reason, "reason");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status code: " + status);
        }
        requested = Checks.attributesOrEmpty(requested);
    }
}
