package dev.idsync.roles.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One source of a role: {@code via} is {@code group} (federated, naming the group), {@code default} (the
 * role every active user holds) or {@code manual}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentView(String source, String via, String groupId, String groupName, String accessLevel) {
}
