package dev.idsync.emulator.directory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One emulated Entra tenant: its directory objects, its change log and its app registrations.
 *
 * <p>Readers (delta pages, object reads, snapshots) run under the read lock and mutations under the write
 * lock, so a page is always built from one consistent state without copying the tenant. Every mutation
 * appends to the {@link ChangeLog}; that log is what follow-up delta queries are answered from.
 */
public final class Tenant {

    private final String id;
    private final String displayName;
    private final List<String> domains;
    private final Clock clock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final Map<String, AppRegistration> apps = new LinkedHashMap<>();
    private volatile TenantSettings settings = TenantSettings.defaults();

    private final ArrayList<DirectoryObject> byOrdinal = new ArrayList<>();
    private final Map<String, DirectoryObject> byId = new HashMap<>();
    private final Map<String, DirectoryObject> usersByUpn = new HashMap<>();
    private final Map<ObjectKind, SortedIntSet> ordinalsByKind = new EnumMap<>(ObjectKind.class);
    private final ChangeLog changeLog = new ChangeLog();

    /** Tokens of an older generation of their resource are invalid: opened by reset and by an invalidation. */
    private final TokenGenerations tokenGenerations = new TokenGenerations();

    public Tenant(String id, String displayName, List<String> domains, Clock clock) {
        this.id = id;
        this.displayName = displayName;
        this.domains = List.copyOf(domains);
        this.clock = clock;
        for (ObjectKind kind : ObjectKind.values()) {
            ordinalsByKind.put(kind, new SortedIntSet());
        }
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public List<String> domains() {
        return domains;
    }

    public Clock clock() {
        return clock;
    }

    public TenantSettings settings() {
        return settings;
    }

    public void updateSettings(TenantSettings newSettings) {
        this.settings = newSettings;
    }

    /** The generation new delta and skip tokens of {@code kind} are issued in. */
    public int generation(ObjectKind kind) {
        return tokenGenerations.current(kind);
    }

    /** How a token of an older generation of {@code kind} is answered. */
    public ExpiredTokenResponse invalidationResponse(ObjectKind kind) {
        return tokenGenerations.refusedAs(kind);
    }

    /** The current token generation per resource ({@code users}, {@code groups}, {@code directoryRoles}). */
    public Map<String, Integer> tokenGenerations() {
        return tokenGenerations.byResource();
    }

    /** Makes every delta and skip token of these resources issued so far unusable, answered in the given form. */
    public void invalidateDeltaTokens(ExpiredTokenResponse response, Collection<ObjectKind> kinds) {
        withWriteLock(() -> {
            tokenGenerations.invalidate(kinds, response);
            return null;
        });
    }

    // ---- app registrations -------------------------------------------------------------------------

    public synchronized void registerApp(AppRegistration app) {
        apps.put(app.clientId(), app);
    }

    public synchronized Optional<AppRegistration> app(String clientId) {
        return Optional.ofNullable(apps.get(clientId));
    }

    public synchronized List<AppRegistration> apps() {
        return List.copyOf(apps.values());
    }

    // ---- locking -----------------------------------------------------------------------------------

    public <T> T withReadLock(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    public <T> T withWriteLock(Supplier<T> writer) {
        lock.writeLock().lock();
        try {
            return writer.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- reads (call under the read lock) ----------------------------------------------------------

    public long lastSequence() {
        return changeLog.lastSequence();
    }

    public ChangeLog changeLog() {
        return changeLog;
    }

    /** The next ordinal to be assigned; objects created later have ordinals at or above it. */
    public int ordinalBound() {
        return byOrdinal.size();
    }

    public DirectoryObject byOrdinal(int ordinal) {
        return byOrdinal.get(ordinal);
    }

    /** All ordinals ever assigned to objects of this kind, ascending (tombstones included). */
    public SortedIntSet ordinals(ObjectKind kind) {
        return ordinalsByKind.get(kind);
    }

    public Optional<DirectoryObject> find(String idOrUpn) {
        DirectoryObject object = byId.get(idOrUpn.toLowerCase(Locale.ROOT));
        if (object == null) {
            object = usersByUpn.get(idOrUpn.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(object);
    }

    public Optional<DirectoryObject> findActive(String idOrUpn, ObjectKind kind) {
        return find(idOrUpn).filter(o -> o.kind() == kind && o.isActive());
    }

    public int count(ObjectKind kind, ObjectStatus status) {
        SortedIntSet ordinals = ordinalsByKind.get(kind);
        int n = 0;
        for (int i = 0; i < ordinals.size(); i++) {
            if (byOrdinal.get(ordinals.get(i)).status() == status) {
                n++;
            }
        }
        return n;
    }

    public int membershipCount() {
        int n = 0;
        for (int i = 0; i < ordinalsByKind.get(ObjectKind.GROUP).size(); i++) {
            DirectoryObject group = byOrdinal.get(ordinalsByKind.get(ObjectKind.GROUP).get(i));
            n += group.members().size();
        }
        return n;
    }

    /** Active groups and roles that list this object as a direct member. */
    public List<DirectoryObject> directContainers(DirectoryObject member, boolean includeRoles) {
        List<DirectoryObject> result = new ArrayList<>();
        collectContainers(member.ordinal(), ObjectKind.GROUP, result);
        if (includeRoles) {
            collectContainers(member.ordinal(), ObjectKind.DIRECTORY_ROLE, result);
        }
        return result;
    }

    private void collectContainers(int memberOrdinal, ObjectKind kind, List<DirectoryObject> into) {
        SortedIntSet ordinals = ordinalsByKind.get(kind);
        for (int i = 0; i < ordinals.size(); i++) {
            DirectoryObject container = byOrdinal.get(ordinals.get(i));
            if (container.isActive() && container.members().contains(memberOrdinal)) {
                into.add(container);
            }
        }
    }

    /** Groups the object is a member of directly or through nested groups (Graph's getMemberGroups). */
    public List<DirectoryObject> transitiveGroups(DirectoryObject member) {
        Map<String, DirectoryObject> found = new LinkedHashMap<>();
        List<DirectoryObject> frontier = directContainers(member, false);
        while (!frontier.isEmpty()) {
            List<DirectoryObject> next = new ArrayList<>();
            for (DirectoryObject group : frontier) {
                if (found.putIfAbsent(group.id(), group) == null) {
                    next.addAll(directContainers(group, false));
                }
            }
            frontier = next;
        }
        return List.copyOf(found.values());
    }

    // ---- mutations (each takes the write lock) -----------------------------------------------------

    /** Creates an object; {@code objectId} may be null to let the tenant pick one. */
    public DirectoryObject create(ObjectKind kind, String objectId, Map<String, ?> properties) {
        return withWriteLock(() -> createLocked(kind, objectId, properties));
    }

    DirectoryObject createLocked(ObjectKind kind, String objectId, Map<String, ?> properties) {
        String newId = (objectId == null ? UUID.randomUUID().toString() : objectId).toLowerCase(Locale.ROOT);
        if (byId.containsKey(newId)) {
            throw DirectoryException.badRequest(
                    "Another object with the same value for property id already exists.");
        }
        ObjectSchema schema = ObjectSchema.of(kind);
        Object[] values = new Object[schema.size()];
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            PropertyDef def = schema.find(entry.getKey()).orElseThrow(() -> DirectoryException.badRequest(
                    "Property '" + entry.getKey() + "' does not exist as a declared property or extension property."));
            values[def.index()] = coerceOrReject(kind, def, entry.getValue());
        }
        schema.find("createdDateTime").ifPresent(def -> {
            if (values[def.index()] == null) {
                values[def.index()] = now();
            }
        });
        if (kind == ObjectKind.USER) {
            requireUniqueUpn(values[schema.require("userPrincipalName").index()], null);
        }
        DirectoryObject object = new DirectoryObject(byOrdinal.size(), newId, kind, values);
        register(object);
        changeLog.append(object.ordinal(), ChangeOp.CREATE, schema.allMask(), -1);
        return object;
    }

    /**
     * Bulk insert for the seeder: the same log entries as {@link #create} but without per-object checks
     * beyond id uniqueness. Call under the write lock.
     */
    DirectoryObject insertSeeded(ObjectKind kind, String objectId, Object[] values, SortedIntSet members) {
        DirectoryObject object = new DirectoryObject(byOrdinal.size(), objectId, kind, values,
                kind.hasMembers() ? members : null);
        if (byId.containsKey(objectId)) {
            throw new IllegalStateException("duplicate seeded id " + objectId);
        }
        register(object);
        changeLog.append(object.ordinal(), ChangeOp.CREATE, ObjectSchema.of(kind).allMask(), -1);
        if (members != null) {
            for (int i = 0; i < members.size(); i++) {
                changeLog.append(object.ordinal(), ChangeOp.MEMBER_ADD, 0, members.get(i));
            }
        }
        return object;
    }

    private void register(DirectoryObject object) {
        byOrdinal.add(object);
        byId.put(object.id(), object);
        ordinalsByKind.get(object.kind()).add(object.ordinal());
        if (object.kind() == ObjectKind.USER) {
            Object upn = object.value("userPrincipalName");
            if (upn != null) {
                usersByUpn.put(upn.toString().toLowerCase(Locale.ROOT), object);
            }
        }
    }

    /**
     * Sets the given properties; only values that really differ are logged, as Graph only reports real changes.
     *
     * @return the names of the properties that changed
     */
    public List<String> update(String objectId, Map<String, ?> properties) {
        return withWriteLock(() -> {
            DirectoryObject object = requireActive(objectId);
            ObjectSchema schema = ObjectSchema.of(object.kind());
            Object[] values = object.valuesCopy();
            long mask = 0;
            List<String> changed = new ArrayList<>();
            for (Map.Entry<String, ?> entry : properties.entrySet()) {
                PropertyDef def = schema.find(entry.getKey()).orElseThrow(() -> DirectoryException.badRequest(
                        "Property '" + entry.getKey() + "' does not exist as a declared property or extension property."));
                Object newValue = coerceOrReject(object.kind(), def, entry.getValue());
                if (!PropertyValues.same(values[def.index()], newValue)) {
                    values[def.index()] = newValue;
                    mask |= def.bit();
                    changed.add(def.name());
                }
            }
            if (mask == 0) {
                return changed;
            }
            if (object.kind() == ObjectKind.USER) {
                PropertyDef upn = schema.require("userPrincipalName");
                if ((mask & upn.bit()) != 0) {
                    requireUniqueUpn(values[upn.index()], object);
                    Object old = object.value(upn);
                    if (old != null) {
                        usersByUpn.remove(old.toString().toLowerCase(Locale.ROOT));
                    }
                    if (values[upn.index()] != null) {
                        usersByUpn.put(values[upn.index()].toString().toLowerCase(Locale.ROOT), object);
                    }
                }
            }
            object.replaceValues(values);
            changeLog.append(object.ordinal(), ChangeOp.UPDATE, mask, -1);
            return changed;
        });
    }

    /** Moves the object to the deleted items; users leave their groups until restored, as in Entra. */
    public void softDelete(String objectId) {
        withWriteLock(() -> {
            DirectoryObject object = requireActive(objectId);
            int[] memberships = new int[0];
            if (object.kind() == ObjectKind.USER) {
                memberships = leaveAllContainers(object);
            }
            object.markSoftDeleted(now(), memberships);
            changeLog.append(object.ordinal(), ChangeOp.SOFT_DELETE, 0, -1);
            return null;
        });
    }

    public void restore(String objectId) {
        withWriteLock(() -> {
            DirectoryObject object = byId.get(objectId.toLowerCase(Locale.ROOT));
            if (object == null || object.status() != ObjectStatus.SOFT_DELETED) {
                throw DirectoryException.notFound(objectId);
            }
            int[] former = object.restore();
            changeLog.append(object.ordinal(), ChangeOp.RESTORE, 0, -1);
            for (int containerOrdinal : former) {
                DirectoryObject container = byOrdinal.get(containerOrdinal);
                if (container.isActive() && container.members().add(object.ordinal())) {
                    changeLog.append(containerOrdinal, ChangeOp.MEMBER_ADD, 0, object.ordinal());
                }
            }
            return null;
        });
    }

    /** Deletes permanently, from active or from deleted items. */
    public void hardDelete(String objectId) {
        withWriteLock(() -> {
            DirectoryObject object = byId.get(objectId.toLowerCase(Locale.ROOT));
            if (object == null || object.status() == ObjectStatus.HARD_DELETED) {
                throw DirectoryException.notFound(objectId);
            }
            if (object.isActive()) {
                leaveAllContainers(object);
            }
            if (object.kind() == ObjectKind.USER) {
                Object upn = object.value("userPrincipalName");
                if (upn != null) {
                    usersByUpn.remove(upn.toString().toLowerCase(Locale.ROOT));
                }
            }
            object.markHardDeleted();
            changeLog.append(object.ordinal(), ChangeOp.HARD_DELETE, 0, -1);
            return null;
        });
    }

    public boolean addMember(String containerId, String memberId) {
        return withWriteLock(() -> {
            DirectoryObject container = requireActive(containerId);
            if (!container.kind().hasMembers()) {
                throw DirectoryException.badRequest("Object '" + containerId + "' cannot have members.");
            }
            DirectoryObject member = requireActive(memberId);
            if (member.kind() == ObjectKind.DIRECTORY_ROLE || member.ordinal() == container.ordinal()) {
                throw DirectoryException.badRequest("Invalid member '" + memberId + "'.");
            }
            if (!container.members().add(member.ordinal())) {
                return false;
            }
            changeLog.append(container.ordinal(), ChangeOp.MEMBER_ADD, 0, member.ordinal());
            return true;
        });
    }

    public boolean removeMember(String containerId, String memberId) {
        return withWriteLock(() -> {
            DirectoryObject container = requireActive(containerId);
            DirectoryObject member = byId.get(memberId.toLowerCase(Locale.ROOT));
            if (member == null || !container.kind().hasMembers()) {
                throw DirectoryException.notFound(memberId);
            }
            if (!container.members().remove(member.ordinal())) {
                return false;
            }
            changeLog.append(container.ordinal(), ChangeOp.MEMBER_REMOVE, 0, member.ordinal());
            return true;
        });
    }

    /** Drops every object and the change log; app registrations and settings stay. Old tokens become invalid. */
    public void reset() {
        withWriteLock(() -> {
            byOrdinal.clear();
            byId.clear();
            usersByUpn.clear();
            ordinalsByKind.values().forEach(SortedIntSet::clear);
            changeLog.clear();
            tokenGenerations.invalidate(List.of(ObjectKind.values()), ExpiredTokenResponse.GONE);
            return null;
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private int[] leaveAllContainers(DirectoryObject member) {
        List<DirectoryObject> containers = directContainers(member, true);
        int[] ordinals = new int[containers.size()];
        for (int i = 0; i < containers.size(); i++) {
            DirectoryObject container = containers.get(i);
            container.members().remove(member.ordinal());
            changeLog.append(container.ordinal(), ChangeOp.MEMBER_REMOVE, 0, member.ordinal());
            ordinals[i] = container.ordinal();
        }
        return ordinals;
    }

    private DirectoryObject requireActive(String objectId) {
        DirectoryObject object = byId.get(objectId.toLowerCase(Locale.ROOT));
        if (object == null || !object.isActive()) {
            throw DirectoryException.notFound(objectId);
        }
        return object;
    }

    private void requireUniqueUpn(Object upn, DirectoryObject self) {
        if (upn == null) {
            return;
        }
        DirectoryObject existing = usersByUpn.get(upn.toString().toLowerCase(Locale.ROOT));
        if (existing != null && existing != self) {
            throw DirectoryException.badRequest(
                    "Another object with the same value for property userPrincipalName already exists.");
        }
    }

    private static Object coerceOrReject(ObjectKind kind, PropertyDef def, Object value) {
        try {
            return PropertyValues.coerce(def, value);
        } catch (IllegalArgumentException e) {
            throw DirectoryException.badRequest(
                    "Invalid value specified for property '" + def.name() + "' of resource '" + kind.resourceName() + "'.");
        }
    }

    String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
