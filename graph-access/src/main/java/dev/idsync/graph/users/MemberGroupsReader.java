package dev.idsync.graph.users;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.getmembergroups.GetMemberGroupsPostRequestBody;
import com.microsoft.graph.users.item.getmembergroups.GetMemberGroupsPostResponse;
import java.util.List;
import java.util.Optional;

/**
 * The groups a user belongs to, directly or through nested groups (Graph's {@code getMemberGroups}), for
 * role-mapper's login-time sync and for resolving a token's groups overage.
 */
public final class MemberGroupsReader {

    private final GraphServiceClient graph;

    public MemberGroupsReader(GraphServiceClient graph) {
        this.graph = graph;
    }

    /** @return group ids, or empty when the user does not exist */
    public Optional<List<String>> memberGroups(String userId, boolean securityEnabledOnly) {
        GetMemberGroupsPostRequestBody body = new GetMemberGroupsPostRequestBody();
        body.setSecurityEnabledOnly(securityEnabledOnly);
        try {
            GetMemberGroupsPostResponse response = graph.users().byUserId(userId).getMemberGroups().post(body);
            return Optional.of(response == null || response.getValue() == null ? List.of() : List.copyOf(response.getValue()));
        } catch (ODataError e) {
            if (e.getResponseStatusCode() == 404) {
                return Optional.empty();
            }
            throw UserProfileClient.translate("getMemberGroups of user " + userId, e);
        }
    }
}
