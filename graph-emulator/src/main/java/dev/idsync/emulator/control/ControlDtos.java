package dev.idsync.emulator.control;

import dev.idsync.emulator.directory.ExpiredTokenResponse;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the control API. */
public final class ControlDtos {

    private ControlDtos() {
    }

    /** An app registration to create; {@code permissions} are Graph application permissions. */
    public record AppSpec(String clientId, String clientSecret, String displayName, List<String> permissions) {
    }

    /**
     * Tenant behaviour; null fields keep their current value. {@code deltaTokenTtl} is an ISO-8601 duration;
     * {@code minimalUpdateShare} (0..1) and {@code minimalUpdateSeed}: see {@code TenantSettings}.
     */
    public record SettingsSpec(String deltaTokenTtl, ExpiredTokenResponse expiredTokenResponse, Integer emptyPageEvery,
                               Double minimalUpdateShare, Long minimalUpdateSeed) {
    }

    public record CreateTenantRequest(String tenantId, String displayName, List<String> domains, List<AppSpec> apps,
                                      SettingsSpec settings) {
    }

    public record AppView(String clientId, String displayName, List<String> permissions, String servicePrincipalId) {
    }

    public record Counts(int users, int softDeletedUsers, int groups, int softDeletedGroups, int memberships,
                         int directoryRoles) {
    }

    public record SettingsView(String deltaTokenTtl, ExpiredTokenResponse expiredTokenResponse, int emptyPageEvery,
                               double minimalUpdateShare, long minimalUpdateSeed) {
    }

    /** @param tokenGenerations per resource ({@code users}, ...): bumped by every reset or invalidation of it */
    public record TenantView(String tenantId, String displayName, List<String> domains, List<AppView> apps,
                             SettingsView settings, Counts counts, long lastSequence,
                             Map<String, Integer> tokenGenerations) {
    }

    /**
     * One mutation. {@code op} is one of createUser, updateUser, softDeleteUser, restoreUser, hardDeleteUser,
     * createGroup, updateGroup, softDeleteGroup, restoreGroup, hardDeleteGroup, createDirectoryRole,
     * addMember, removeMember (groupId), addRoleMember, removeRoleMember (roleId).
     */
    public record Mutation(String op, String id, Map<String, Object> properties, String groupId, String roleId,
                           String memberId) {
    }

    public record MutationBatch(List<Mutation> operations) {
    }

    /** @param id the object the operation touched (the new id for creates); {@code changed}: false for no-ops */
    public record MutationResult(String op, String id, boolean changed) {
    }

    public record MutationBatchResult(List<MutationResult> results, long lastSequence) {
    }

    /**
     * @param response  how the invalidated tokens are answered (default GONE)
     * @param resources {@code users}, {@code groups}, {@code directoryRoles}: whose tokens become invalid; null or
     *                  empty for all of them
     */
    public record InvalidateRequest(ExpiredTokenResponse response, List<String> resources) {
    }

    /**
     * A user token to mint. Either {@code userId} (claims come from the directory: oid, name, UPN, groups) or
     * {@code subject} for a user the directory does not know. {@code groups} overrides the directory's groups;
     * {@code omitGroups} leaves the claim out altogether, as Entra does for an app registration that asks
     * for no group claims ({@code groupMembershipClaims} unset).
     */
    public record UserTokenSpec(String userId, String subject, String audience, String clientId, List<String> roles,
                                List<String> groups, Integer lifetimeSeconds, String nonce, Map<String, Object> claims,
                                Boolean omitGroups) {
    }

    public record UserTokenView(String token, String tokenType, boolean groupsOverage, int groupCount, long expiresIn) {
    }
}
