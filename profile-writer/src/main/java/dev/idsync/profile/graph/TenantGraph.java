package dev.idsync.profile.graph;

import dev.idsync.graph.GraphAccess;

/** One tenant's Graph: graph-access (PATCH through its {@code UserProfileClient}) and the observed reader. */
public record TenantGraph(String tenantId, GraphAccess access, GraphUserReader reader) {
}
