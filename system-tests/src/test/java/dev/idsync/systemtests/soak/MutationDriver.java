package dev.idsync.systemtests.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.idsync.systemtests.soak.SoakSchedule.Action;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.ScenarioTenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Changes the soak's tenant in the emulator as Entra's admins would: users and groups created, updated,
 * soft-deleted, hard-deleted and restored, memberships added and removed, bursts of all of it, and a mass
 * deletion above the accidental-delete threshold. Targets are drawn from a model of the tenant (refreshed
 * from the emulator's snapshot now and then), so most operations change something; one the emulator
 * refuses (e.g. an object another step deleted meanwhile) is counted, not fatal.
 */
public final class MutationDriver {

    private static final List<String> ROLES = List.of("Admin", "User", "HR", "Accounting");
    private static final int REFRESH_EVERY = 8;

    private final EmulatorTenant tenant;
    private final ScenarioTenant scenario;
    private final SoakTally tally;
    private final List<String> activeUsers = new ArrayList<>();
    private final List<String> deletedUsers = new ArrayList<>();
    private final List<String> activeGroups = new ArrayList<>();
    private final List<String> deletedGroups = new ArrayList<>();
    private final Map<String, List<String>> members = new HashMap<>();
    private final Set<String> touchedUsers = new LinkedHashSet<>();
    private int sinceRefresh;
    private int created;

    public MutationDriver(EmulatorTenant tenant, ScenarioTenant scenario, SoakTally tally) {
        this.tenant = tenant;
        this.scenario = scenario;
        this.tally = tally;
        refresh();
    }

    /** Every user a mutation named (the role check looks at each of them as well as at a sample). */
    public Set<String> touchedUsers() {
        return touchedUsers;
    }

    public void apply(Action action, long seed) {
        if (++sinceRefresh >= REFRESH_EVERY) {
            refresh();
        }
        Random random = new Random(seed);
        List<Map<String, Object>> ops = new ArrayList<>();
        switch (action) {
            case CREATE_USERS -> repeat(1 + random.nextInt(10), () -> ops.add(createUser(random)));
            case UPDATE_USERS -> repeat(1 + random.nextInt(15), () -> pick(activeUsers, random).ifPresent(u -> ops.add(updateUser(u, random))));
            case SOFT_DELETE_USERS -> take(activeUsers, 1 + random.nextInt(6), random).forEach(u -> ops.add(op("softDeleteUser", u)));
            case HARD_DELETE_USERS -> take(random.nextBoolean() ? deletedUsers : activeUsers, 1 + random.nextInt(3), random)
                    .forEach(u -> ops.add(op("hardDeleteUser", u)));
            case RESTORE_USERS -> take(deletedUsers, 1 + random.nextInt(4), random).forEach(u -> ops.add(op("restoreUser", u)));
            case CREATE_GROUP -> ops.add(createGroup(random));
            case UPDATE_GROUPS -> repeat(1 + random.nextInt(3), () -> pick(activeGroups, random).ifPresent(g -> ops.add(Map.of(
                    "op", "updateGroup", "id", g, "properties", Map.of("description", "soak " + random.nextInt(1_000_000))))));
            case SOFT_DELETE_GROUP -> take(activeGroups, 1, random).forEach(g -> ops.add(op("softDeleteGroup", g)));
            case HARD_DELETE_GROUP -> take(random.nextBoolean() ? deletedGroups : activeGroups, 1, random)
                    .forEach(g -> ops.add(op("hardDeleteGroup", g)));
            case RESTORE_GROUP -> take(deletedGroups, 1, random).forEach(g -> ops.add(op("restoreGroup", g)));
            case ADD_MEMBERS -> repeat(1 + random.nextInt(20), () -> addMember(random).ifPresent(ops::add));
            case REMOVE_MEMBERS -> repeat(1 + random.nextInt(15), () -> removeMember(random).ifPresent(ops::add));
            case BURST -> burst(random, ops);
            default -> throw new IllegalArgumentException(action + " is no mutation");
        }
        send(action.name().toLowerCase(), ops);
    }

    /**
     * Soft-deletes more users in one go than the tenant's accidental-delete threshold lets a run release
     * (default: 500 or 10 %, whichever is less), so the next run holds them. Returns how many.
     */
    public int massDeletion(long seed) {
        refresh();
        Random random = new Random(seed);
        int threshold = Math.min(500, activeUsers.size() / 10);
        int count = threshold + 20 + random.nextInt(40);
        List<Map<String, Object>> ops = new ArrayList<>();
        take(activeUsers, count, random).forEach(u -> ops.add(op("softDeleteUser", u)));
        send("mass deletion", ops);
        return ops.size();
    }

    private void burst(Random random, List<Map<String, Object>> ops) {
        int size = 150 + random.nextInt(250);
        for (int i = 0; i < size; i++) {
            int kind = random.nextInt(100);
            if (kind < 8) {
                ops.add(createUser(random));
            } else if (kind < 55) {
                pick(activeUsers, random).ifPresent(u -> ops.add(updateUser(u, random)));
            } else if (kind < 78) {
                addMember(random).ifPresent(ops::add);
            } else if (kind < 97) {
                removeMember(random).ifPresent(ops::add);
            } else {
                take(activeUsers, 1, random).forEach(u -> ops.add(op("softDeleteUser", u)));
            }
        }
    }

    private Map<String, Object> createUser(Random random) {
        String nick = "soak" + Long.toHexString(random.nextLong() & 0xffffffffL) + "n" + created++;
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("userPrincipalName", nick + "@" + tenant.domain());
        properties.put("displayName", "Soak " + nick);
        properties.put("mailNickname", nick);
        properties.put("accountEnabled", random.nextInt(20) != 0);
        properties.put("jobTitle", "Soaker " + random.nextInt(50));
        properties.put("department", "Dept " + random.nextInt(20));
        return Map.of("op", "createUser", "properties", properties);
    }

    private Map<String, Object> updateUser(String user, Random random) {
        Map<String, Object> properties = new HashMap<>();
        switch (random.nextInt(5)) {
            case 0 -> properties.put("jobTitle", "Title " + random.nextInt(1_000));
            case 1 -> properties.put("department", "Dept " + random.nextInt(40));
            case 2 -> properties.put("officeLocation", random.nextBoolean() ? null : "Room " + random.nextInt(500));
            case 3 -> {
                properties.put("jobTitle", "Title " + random.nextInt(1_000));
                properties.put("city", "City " + random.nextInt(30));
            }
            default -> properties.put("mobilePhone", random.nextBoolean() ? null : "+49 30 " + random.nextInt(9_999_999));
        }
        touchedUsers.add(user);
        return Map.of("op", "updateUser", "id", user, "properties", properties);
    }

    private Map<String, Object> createGroup(Random random) {
        String suffix = Long.toHexString(random.nextLong() & 0xffffffL);
        // Half of them role groups (App-<Tenant>-<Role>): their members gain the role in role-mapper.
        String name = random.nextBoolean() ? "App-" + scenario.displayName() + "-" + ROLES.get(random.nextInt(ROLES.size()))
                : "Soak group " + suffix;
        return Map.of("op", "createGroup", "properties", Map.of("displayName", name, "mailNickname", "soak-" + suffix,
                "securityEnabled", true));
    }

    private java.util.Optional<Map<String, Object>> addMember(Random random) {
        java.util.Optional<String> group = pick(activeGroups, random);
        java.util.Optional<String> user = pick(activeUsers, random);
        if (group.isEmpty() || user.isEmpty()) {
            return java.util.Optional.empty();
        }
        touchedUsers.add(user.get());
        members.computeIfAbsent(group.get(), g -> new ArrayList<>()).add(user.get());
        return java.util.Optional.of(Map.of("op", "addMember", "groupId", group.get(), "memberId", user.get()));
    }

    private java.util.Optional<Map<String, Object>> removeMember(Random random) {
        java.util.Optional<String> group = pick(activeGroups, random);
        if (group.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> of = members.getOrDefault(group.get(), List.of());
        if (of.isEmpty()) {
            return java.util.Optional.empty();
        }
        String member = of.remove(random.nextInt(of.size()));
        touchedUsers.add(member);
        return java.util.Optional.of(Map.of("op", "removeMember", "groupId", group.get(), "memberId", member));
    }

    /** Sends the batch; if the emulator refuses it (an op whose target went away), sends each op alone. */
    private void send(String what, List<Map<String, Object>> ops) {
        if (ops.isEmpty()) {
            tally.count("mutation step without a target: " + what);
            return;
        }
        try {
            record(tenant.apply(ops));
        } catch (RuntimeException refused) {
            for (Map<String, Object> op : ops) {
                try {
                    record(tenant.apply(List.of(op)));
                } catch (RuntimeException e) {
                    tally.count("mutation refused by the emulator: " + op.get("op"));
                }
            }
            refresh();
        }
    }

    private void record(List<EmulatorTenant.Result> results) {
        for (EmulatorTenant.Result r : results) {
            tally.count("mutation " + r.op() + (r.changed() ? "" : " (no change)"));
            if (r.op().equals("createUser")) {
                activeUsers.add(r.id());
                touchedUsers.add(r.id());
            } else if (r.op().endsWith("User")) {
                touchedUsers.add(r.id());
            }
            switch (r.op()) {
                case "createGroup", "restoreGroup" -> activeGroups.add(r.id());
                case "softDeleteGroup" -> deletedGroups.add(r.id());
                case "softDeleteUser" -> deletedUsers.add(r.id());
                case "restoreUser" -> activeUsers.add(r.id());
                default -> { }
            }
        }
    }

    private static Map<String, Object> op(String name, String id) {
        return Map.of("op", name, "id", id);
    }

    /** Re-reads the model from the emulator's snapshot. */
    private void refresh() {
        sinceRefresh = 0;
        JsonNode snapshot = tenant.snapshot();
        activeUsers.clear();
        deletedUsers.clear();
        activeGroups.clear();
        deletedGroups.clear();
        members.clear();
        snapshot.path("users").forEach(u -> activeUsers.add(u.path("id").asText()));
        snapshot.path("deletedUsers").forEach(u -> deletedUsers.add(u.path("id").asText()));
        snapshot.path("groups").forEach(g -> {
            activeGroups.add(g.path("id").asText());
            List<String> of = new ArrayList<>();
            g.path("members").forEach(m -> of.add(m.isObject() ? m.path("id").asText() : m.asText()));
            members.put(g.path("id").asText(), of);
        });
        snapshot.path("deletedGroups").forEach(g -> deletedGroups.add(g.path("id").asText()));
    }

    /** Removes and returns up to n random ids of the list (the model follows the operation). */
    private List<String> take(List<String> from, int n, Random random) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n && !from.isEmpty(); i++) {
            out.add(from.remove(random.nextInt(from.size())));
        }
        return out;
    }

    private static java.util.Optional<String> pick(List<String> from, Random random) {
        return from.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(from.get(random.nextInt(from.size())));
    }

    private static void repeat(int times, Runnable action) {
        for (int i = 0; i < times; i++) {
            action.run();
        }
    }
}
