package dev.idsync.roles.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One source of a role: {@code via} is {@code group} (federated, naming the group), {@code default} (the
 * role every active user holds) or {@code manual}. A group assignment says why it holds: {@code path}, the
 * group ids from the mapped group down to the user's direct group, and {@code why}, the same with names
 * ({@code App-Contoso-HR ← HR-Berlin ← user}; an id where role-mapper has not seen the group's name).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentView(String source, String via, String groupId, String groupName, String accessLevel,
        List<String> path, String why) {
}
