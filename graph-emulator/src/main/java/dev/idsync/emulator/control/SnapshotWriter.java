package dev.idsync.emulator.control;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.ObjectSchema;
import dev.idsync.emulator.directory.ObjectStatus;
import dev.idsync.emulator.directory.SortedIntSet;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.graph.DirectoryObjectJson;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams the complete current state of a tenant as JSON — the ground truth a convergence check compares
 * idsync's local store with. Written under the read lock, so it is one consistent state.
 */
final class SnapshotWriter {

    private SnapshotWriter() {
    }

    static void write(Tenant tenant, OutputStream out) throws IOException {
        tenant.withReadLock(() -> {
            try (JsonGenerator g = DirectoryObjectJson.JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("tenantId", tenant.id());
                g.writeNumberField("sequence", tenant.lastSequence());
                writeKind(g, tenant, ObjectKind.USER, ObjectStatus.ACTIVE, "users");
                writeKind(g, tenant, ObjectKind.USER, ObjectStatus.SOFT_DELETED, "deletedUsers");
                writeKind(g, tenant, ObjectKind.GROUP, ObjectStatus.ACTIVE, "groups");
                writeKind(g, tenant, ObjectKind.GROUP, ObjectStatus.SOFT_DELETED, "deletedGroups");
                writeKind(g, tenant, ObjectKind.DIRECTORY_ROLE, ObjectStatus.ACTIVE, "directoryRoles");
                g.writeEndObject();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });
    }

    private static void writeKind(JsonGenerator g, Tenant tenant, ObjectKind kind, ObjectStatus status, String field)
            throws IOException {
        long all = ObjectSchema.of(kind).allMask();
        SortedIntSet ordinals = tenant.ordinals(kind);
        g.writeArrayFieldStart(field);
        for (int i = 0; i < ordinals.size(); i++) {
            DirectoryObject object = tenant.byOrdinal(ordinals.get(i));
            if (object.status() != status) {
                continue;
            }
            g.writeStartObject();
            DirectoryObjectJson.writeProperties(g, object, all, 0);
            if (status == ObjectStatus.SOFT_DELETED) {
                g.writeStringField("deletedDateTime", object.deletedDateTime());
            }
            if (object.members() != null) {
                g.writeArrayFieldStart("members");
                for (int m = 0; m < object.members().size(); m++) {
                    g.writeString(tenant.byOrdinal(object.members().get(m)).id());
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
