package dev.idsync.graph.users;

import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.idsync.graph.GraphRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed read and PATCH of a user through Microsoft's Graph SDK, for profile-writer. A PATCH sends exactly
 * the given properties (an explicit null clears one) and is followed by a re-read of the selected
 * properties, which is the only state a caller may publish.
 */
public final class UserProfileClient {

    private final GraphServiceClient graph;

    public UserProfileClient(GraphServiceClient graph) {
        this.graph = graph;
    }

    /** @return the user, or empty when Graph answers 404 */
    public Optional<User> read(String userId, List<String> select) {
        try {
            return Optional.ofNullable(graph.users().byUserId(userId).get(request -> {
                if (select != null && !select.isEmpty()) {
                    request.queryParameters.select = select.toArray(String[]::new);
                }
            }));
        } catch (ODataError e) {
            if (e.getResponseStatusCode() == 404) {
                return Optional.empty();
            }
            throw translate("read of user " + userId, e);
        }
    }

    /**
     * @param changes Graph property names to new values (String, Boolean, List of String, or null to clear)
     * @param reRead  properties to read back after the PATCH
     */
    public PatchOutcome patch(String userId, Map<String, Object> changes, List<String> reRead) {
        User body = new User();
        // additionalData carries exactly these keys, nulls included; typed setters would drop explicit nulls.
        body.setAdditionalData(new LinkedHashMap<>(changes));
        try {
            graph.users().byUserId(userId).patch(body);
        } catch (ODataError e) {
            String code = e.getError() == null ? null : e.getError().getCode();
            String message = e.getError() == null ? e.getMessage() : e.getError().getMessage();
            return switch (e.getResponseStatusCode()) {
                case 404 -> new PatchOutcome.NotFound(message);
                case 403 -> new PatchOutcome.Denied(message);
                case 400 -> new PatchOutcome.Rejected(code, message);
                default -> throw translate("PATCH of user " + userId, e);
            };
        }
        return read(userId, reRead).<PatchOutcome>map(PatchOutcome.Updated::new)
                // Deleted between PATCH and re-read: nothing was confirmed.
                .orElseGet(() -> new PatchOutcome.NotFound("user " + userId + " disappeared after the update"));
    }

    static GraphRequestException translate(String what, ODataError e) {
        String code = e.getError() == null ? null : e.getError().getCode();
        String message = e.getError() == null ? e.getMessage() : e.getError().getMessage();
        return new GraphRequestException(what + " failed: " + e.getResponseStatusCode() + " " + code + ": " + message,
                e.getResponseStatusCode(), code, 1, null, e);
    }
}
