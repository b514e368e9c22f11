package dev.idsync.profile.update;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A user's profile as confirmed: the editable Entra properties as Graph returned them (at
 * {@code observedAt}, Graph's Date) and the local-only fields as stored. {@code normalised} and
 * {@code mismatches} appear only in an update's answer.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProfileView(String tenantId, String userId, Map<String, Object> entra, Map<String, Object> local,
        Instant observedAt, List<String> normalised, List<ConfirmationCheck.Difference> mismatches,
        @JsonIgnore String etag) {
}
