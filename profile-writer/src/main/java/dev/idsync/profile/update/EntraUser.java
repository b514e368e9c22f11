package dev.idsync.profile.update;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.config.SelectDefaults;
import dev.idsync.events.UserUpserted;
import dev.idsync.profile.graph.ObservedUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** What profile-writer reads of a user and how it becomes the contract's {@code user.upserted}. */
public final class EntraUser {

    private EntraUser() {
    }

    /**
     * The tenant's user selection (the same attributes the poller publishes) plus every editable property,
     * so one read serves the confirmation, the profile view and the confirmed {@code user.upserted}.
     */
    public static List<String> select(IdsyncConfig.Tenant tenant) {
        LinkedHashSet<String> select = new LinkedHashSet<>(SelectDefaults.forResource(tenant, "users"));
        select.add("id");
        select.addAll(EntraField.NAMES);
        return new ArrayList<>(select);
    }

    /** The editable properties of a read user, every one present (null when Graph returned none). */
    public static Map<String, Object> editable(ObservedUser user) {
        Map<String, Object> editable = new LinkedHashMap<>();
        for (String name : EntraField.NAMES) {
            editable.put(name, user.properties().get(name));
        }
        return editable;
    }

    /**
     * The confirmed user as the poller would publish it: Graph's attributes after the tenant's field
     * mapping, observed at Graph's Date. {@code runId} carries the request id, so the same values written
     * by two requests (A→B→A) get distinct {@code ce_id}s and the last one is not dropped as a duplicate.
     */
    public static UserUpserted upserted(String tenantId, IdsyncConfig.Tenant tenant, ObservedUser user, String runId) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, String> mapping = tenant.fieldMapping();
        user.properties().forEach((name, value) -> data.put(mapping.getOrDefault(name, name), value));
        return new UserUpserted(tenantId, user.id(), runId, 0, user.observedAt(), data);
    }
}
