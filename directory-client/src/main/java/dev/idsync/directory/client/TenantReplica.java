package dev.idsync.directory.client;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One tenant's part of the replica. Written by the poll thread only; read by any thread. */
final class TenantReplica {

    static final int BY_CONTAINER = 0;
    static final int BY_MEMBER = 1;
    static final int BY_USER = 0;

    final ConcurrentMap<String, DirectoryObject> users = new ConcurrentHashMap<>();
    final ConcurrentMap<String, DirectoryObject> groups = new ConcurrentHashMap<>();
    final ConcurrentMap<String, DirectoryObject> directoryRoles = new ConcurrentHashMap<>();
    /** Present group memberships by record key {@code <tenant>:<group>:<member>}. */
    final KeyedIndex<Member> groupMembers = new KeyedIndex<>(Member::containerId, Member::memberId);
    /** Present directory-role memberships by record key {@code <tenant>:<role>:<member>}. */
    final KeyedIndex<Member> roleMembers = new KeyedIndex<>(Member::containerId, Member::memberId);
    /** Granted roles by record key {@code <tenant>:<user>:<role>:<source>:<group>}. */
    final KeyedIndex<RoleGrant> grants = new KeyedIndex<>(RoleGrant::userId);
}
