package dev.idsync.emulator.control;

import dev.idsync.emulator.control.ControlDtos.Mutation;
import dev.idsync.emulator.control.ControlDtos.MutationResult;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.Tenant;
import java.util.Map;

/** Applies control-API mutations to a tenant; every one goes through the change log like a real change. */
final class MutationApplier {

    private MutationApplier() {
    }

    static MutationResult apply(Tenant tenant, Mutation m) {
        if (m.op() == null) {
            throw new IllegalArgumentException("every operation needs an 'op'");
        }
        Map<String, Object> properties = m.properties() == null ? Map.of() : m.properties();
        return switch (m.op()) {
            case "createUser" -> new MutationResult(m.op(), tenant.create(ObjectKind.USER, m.id(), properties).id(), true);
            case "createGroup" -> new MutationResult(m.op(), tenant.create(ObjectKind.GROUP, m.id(), properties).id(), true);
            case "createDirectoryRole" ->
                    new MutationResult(m.op(), tenant.create(ObjectKind.DIRECTORY_ROLE, m.id(), properties).id(), true);
            case "updateUser", "updateGroup", "updateDirectoryRole" ->
                    new MutationResult(m.op(), require(m.id(), "id"), !tenant.update(m.id(), properties).isEmpty());
            case "softDeleteUser", "softDeleteGroup" -> {
                tenant.softDelete(require(m.id(), "id"));
                yield new MutationResult(m.op(), m.id(), true);
            }
            case "restoreUser", "restoreGroup" -> {
                tenant.restore(require(m.id(), "id"));
                yield new MutationResult(m.op(), m.id(), true);
            }
            case "hardDeleteUser", "hardDeleteGroup" -> {
                tenant.hardDelete(require(m.id(), "id"));
                yield new MutationResult(m.op(), m.id(), true);
            }
            case "addMember" -> new MutationResult(m.op(), require(m.memberId(), "memberId"),
                    tenant.addMember(require(m.groupId(), "groupId"), m.memberId()));
            case "removeMember" -> new MutationResult(m.op(), require(m.memberId(), "memberId"),
                    tenant.removeMember(require(m.groupId(), "groupId"), m.memberId()));
            case "addRoleMember" -> new MutationResult(m.op(), require(m.memberId(), "memberId"),
                    tenant.addMember(require(m.roleId(), "roleId"), m.memberId()));
            case "removeRoleMember" -> new MutationResult(m.op(), require(m.memberId(), "memberId"),
                    tenant.removeMember(require(m.roleId(), "roleId"), m.memberId()));
            default -> throw new IllegalArgumentException("unknown op '" + m.op() + "'");
        };
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value;
    }
}
