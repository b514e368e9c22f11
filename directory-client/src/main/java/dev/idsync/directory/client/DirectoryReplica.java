package dev.idsync.directory.client;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The subscriber's copy of the directory topics: for each key its last record, interpreted. Users, groups
 * and directory roles are kept whether active or removed (a removal is the object's last word);
 * memberships and role grants only while present.
 *
 * <p>Safe to read from any thread while the client's poll thread writes it. Each method returns an
 * immutable copy of that moment; two calls may see different moments (there is no snapshot across calls).
 * An unknown tenant reads as empty.
 */
public final class DirectoryReplica {

    private static final TenantReplica EMPTY = new TenantReplica();

    private final ConcurrentMap<String, TenantReplica> tenants = new ConcurrentHashMap<>();

    /** The tenants the replica holds anything of. */
    public Set<String> tenants() {
        return Set.copyOf(tenants.keySet());
    }

    /** Every user by id, active or removed. */
    public Map<String, DirectoryObject> users(String tenantId) {
        return Map.copyOf(read(tenantId).users);
    }

    public Optional<DirectoryObject> user(String tenantId, String userId) {
        return Optional.ofNullable(read(tenantId).users.get(userId));
    }

    /** Every group by id, active or removed. */
    public Map<String, DirectoryObject> groups(String tenantId) {
        return Map.copyOf(read(tenantId).groups);
    }

    public Optional<DirectoryObject> group(String tenantId, String groupId) {
        return Optional.ofNullable(read(tenantId).groups.get(groupId));
    }

    /** Every directory role by id, active or removed. */
    public Map<String, DirectoryObject> directoryRoles(String tenantId) {
        return Map.copyOf(read(tenantId).directoryRoles);
    }

    public Optional<DirectoryObject> directoryRole(String tenantId, String roleId) {
        return Optional.ofNullable(read(tenantId).directoryRoles.get(roleId));
    }

    /** Every present group membership of the tenant. */
    public Set<Member> memberships(String tenantId) {
        return read(tenantId).groupMembers.all();
    }

    /** The present members of a group. */
    public Set<Member> members(String tenantId, String groupId) {
        return read(tenantId).groupMembers.group(TenantReplica.BY_CONTAINER, groupId);
    }

    /** The groups {@code memberId} is a present member of ({@link Member#containerId()}). */
    public Set<Member> groupsOf(String tenantId, String memberId) {
        return read(tenantId).groupMembers.group(TenantReplica.BY_MEMBER, memberId);
    }

    /** Every present directory-role membership of the tenant. */
    public Set<Member> directoryRoleMemberships(String tenantId) {
        return read(tenantId).roleMembers.all();
    }

    /** The present members of a directory role. */
    public Set<Member> directoryRoleMembers(String tenantId, String roleId) {
        return read(tenantId).roleMembers.group(TenantReplica.BY_CONTAINER, roleId);
    }

    /** Every application role granted in the tenant (empty unless the client reads role assignments). */
    public Set<RoleGrant> roleGrants(String tenantId) {
        return read(tenantId).grants.all();
    }

    /** The application roles a user holds, one entry per (role, source, group). */
    public Set<RoleGrant> roles(String tenantId, String userId) {
        return read(tenantId).grants.group(TenantReplica.BY_USER, userId);
    }

    private TenantReplica read(String tenantId) {
        return tenants.getOrDefault(tenantId, EMPTY);
    }

    /** For the poll thread: the tenant's part, created on first write. */
    TenantReplica write(String tenantId) {
        return tenants.computeIfAbsent(tenantId, id -> new TenantReplica());
    }

    /** For the poll thread: the tenant's part if it exists, for deletions. */
    TenantReplica existing(String tenantId) {
        return tenants.get(tenantId);
    }
}
