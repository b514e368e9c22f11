package dev.idsync.emulator.directory;

import java.util.Arrays;

/**
 * One user, group or directory role of a tenant. Mutable, guarded by the tenant's lock; property values
 * live in an array indexed like the kind's {@link ObjectSchema} so 100k users stay small.
 * A hard-deleted object stays behind as a tombstone (values cleared) so delta rounds can still name it.
 */
public final class DirectoryObject {

    private final int ordinal;
    private final String id;
    private final ObjectKind kind;
    private Object[] values;
    private ObjectStatus status = ObjectStatus.ACTIVE;
    private String deletedDateTime;
    /** Members of a group or role, as ordinals of member objects; null for users. */
    private final SortedIntSet members;
    /** Group ordinals a soft-deleted user belonged to, so a restore brings the memberships back. */
    private int[] membershipsBeforeDeletion = new int[0];

    DirectoryObject(int ordinal, String id, ObjectKind kind, Object[] values) {
        this.ordinal = ordinal;
        this.id = id;
        this.kind = kind;
        this.values = values;
        this.members = kind.hasMembers() ? new SortedIntSet() : null;
    }

    DirectoryObject(int ordinal, String id, ObjectKind kind, Object[] values, SortedIntSet members) {
        this.ordinal = ordinal;
        this.id = id;
        this.kind = kind;
        this.values = values;
        this.members = members;
    }

    public int ordinal() {
        return ordinal;
    }

    public String id() {
        return id;
    }

    public ObjectKind kind() {
        return kind;
    }

    public ObjectStatus status() {
        return status;
    }

    public boolean isActive() {
        return status == ObjectStatus.ACTIVE;
    }

    public String deletedDateTime() {
        return deletedDateTime;
    }

    public Object value(PropertyDef property) {
        return values == null ? null : values[property.index()];
    }

    public Object value(String name) {
        return value(ObjectSchema.of(kind).require(name));
    }

    public SortedIntSet members() {
        return members;
    }

    Object[] valuesCopy() {
        return values == null ? null : Arrays.copyOf(values, values.length);
    }

    void replaceValues(Object[] newValues) {
        this.values = newValues;
    }

    void markSoftDeleted(String when, int[] formerMemberships) {
        this.status = ObjectStatus.SOFT_DELETED;
        this.deletedDateTime = when;
        this.membershipsBeforeDeletion = formerMemberships;
    }

    int[] restore() {
        this.status = ObjectStatus.ACTIVE;
        this.deletedDateTime = null;
        int[] former = membershipsBeforeDeletion;
        this.membershipsBeforeDeletion = new int[0];
        return former;
    }

    void markHardDeleted() {
        this.status = ObjectStatus.HARD_DELETED;
        this.values = null;
        this.membershipsBeforeDeletion = new int[0];
        if (members != null) {
            members.clear();
        }
    }
}
