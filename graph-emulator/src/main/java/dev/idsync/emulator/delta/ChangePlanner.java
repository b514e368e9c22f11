package dev.idsync.emulator.delta;

import dev.idsync.emulator.directory.ChangeOp;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.ObjectStatus;
import dev.idsync.emulator.directory.SortedIntSet;
import dev.idsync.emulator.directory.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes what a follow-up delta reports for the log window (fromSeq, toSeq]: per object the net effect
 * of all its changes, compared with the state the client saw at fromSeq, as Graph does — a property
 * changed and changed back is still reported, a membership added and removed again is not.
 * Call under the tenant's read lock.
 */
final class ChangePlanner {

    private ChangePlanner() {
    }

    private static final class Accumulator {
        final ChangeOp firstOp;
        long mask;
        /** member ordinal → was it a member at fromSeq (decided by the first membership op seen). */
        Map<Integer, Boolean> memberPresentAtStart;

        Accumulator(ChangeOp firstOp) {
            this.firstOp = firstOp;
        }
    }

    static ChangePlan plan(Tenant tenant, ObjectKind kind, long fromSeq, long toSeq, long selectMask, boolean members) {
        Map<Integer, Accumulator> byObject = new LinkedHashMap<>();
        tenant.changeLog().forEach(fromSeq, toSeq, (seq, ordinal, op, mask, memberOrdinal) -> {
            if (tenant.byOrdinal(ordinal).kind() != kind) {
                return;
            }
            Accumulator acc = byObject.computeIfAbsent(ordinal, o -> new Accumulator(op));
            if (op == ChangeOp.UPDATE) {
                acc.mask |= mask;
            } else if (op.isMembership() && members) {
                if (acc.memberPresentAtStart == null) {
                    acc.memberPresentAtStart = new LinkedHashMap<>();
                }
                acc.memberPresentAtStart.putIfAbsent(memberOrdinal, op == ChangeOp.MEMBER_REMOVE);
            }
        });

        List<PlannedChange> changes = new ArrayList<>(byObject.size());
        for (Map.Entry<Integer, Accumulator> entry : byObject.entrySet()) {
            DirectoryObject object = tenant.byOrdinal(entry.getKey());
            Accumulator acc = entry.getValue();
            // An object first created or restored inside the window is new to the client.
            boolean visibleAtStart = acc.firstOp != ChangeOp.CREATE && acc.firstOp != ChangeOp.RESTORE;
            if (object.status() == ObjectStatus.HARD_DELETED) {
                changes.add(removed(object, PlannedChange.Type.REMOVED_HARD));
            } else if (object.status() == ObjectStatus.SOFT_DELETED) {
                changes.add(removed(object, PlannedChange.Type.REMOVED_SOFT));
            } else if (!visibleAtStart) {
                int[] all = members && object.members() != null ? object.members().toArray() : new int[0];
                changes.add(new PlannedChange(object.ordinal(), PlannedChange.Type.UPSERT, selectMask, true, all,
                        new int[0]));
            } else {
                long changed = acc.mask & selectMask;
                int[][] memberDelta = netMemberChanges(object.members(), acc.memberPresentAtStart);
                if (changed != 0 || memberDelta[0].length > 0 || memberDelta[1].length > 0) {
                    changes.add(new PlannedChange(object.ordinal(), PlannedChange.Type.UPSERT, changed, false,
                            memberDelta[0], memberDelta[1]));
                }
            }
        }
        return new ChangePlan(fromSeq, toSeq, List.copyOf(changes));
    }

    private static PlannedChange removed(DirectoryObject object, PlannedChange.Type type) {
        return new PlannedChange(object.ordinal(), type, 0, false, new int[0], new int[0]);
    }

    private static int[][] netMemberChanges(SortedIntSet current, Map<Integer, Boolean> presentAtStart) {
        if (presentAtStart == null || current == null) {
            return new int[][] {new int[0], new int[0]};
        }
        int[] adds = new int[presentAtStart.size()];
        int[] removes = new int[presentAtStart.size()];
        int a = 0;
        int r = 0;
        for (Map.Entry<Integer, Boolean> e : presentAtStart.entrySet()) {
            boolean now = current.contains(e.getKey());
            if (now && !e.getValue()) {
                adds[a++] = e.getKey();
            } else if (!now && e.getValue()) {
                removes[r++] = e.getKey();
            }
        }
        return new int[][] {java.util.Arrays.copyOf(adds, a), java.util.Arrays.copyOf(removes, r)};
    }
}
