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

/** What profile-writer reads of a user and how it becomes an observation ({@code user.upserted}). */
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
     * The confirmed user as an observation (CONTRACT.md): exactly the attributes Graph returned, under Graph's
     * names ({@code null} where Graph said empty; delta-processor applies the tenant's field mapping when it
     * merges), observed at Graph's Date, epoch 0 (outside any sync run). The id is the event's
     * {@code objectId}, not an attribute, as in the poller's observations. {@code runId} carries the request
     * id, so the same values written by two requests (A→B→A) get distinct {@code ce_id}s and the last one is
     * not dropped as a duplicate.
     */
    public static UserUpserted observation(String tenantId, ObservedUser user, String runId) {
        Map<String, Object> data = new LinkedHashMap<>(user.properties());
        data.remove("id");
        return new UserUpserted(tenantId, user.id(), runId, 0, user.observedAt(), data);
    }
}
