package dev.idsync.emulator.delta;

import dev.idsync.emulator.directory.ObjectKind;

/**
 * Everything a delta or skip token stands for. The emulator keeps no per-client state: the token carries
 * the round's position in the tenant's change log and the page position, so any page can be served again.
 *
 * @param generation    the tenant's token generation when the token was issued
 * @param issuedAtMillis when the round (or the delta token) was issued; drives expiry
 * @param selectMask    selected properties as a bit mask of the kind's schema
 * @param members       whether {@code members} was selected (groups and roles)
 * @param fromSeq       DELTA/CHANGES: changes after this sequence
 * @param toSeq         INITIAL: sequence the round's deltaLink will carry; CHANGES: last sequence of the round
 * @param bound         INITIAL: objects with an ordinal at or above it were created after the round began
 * @param after         INITIAL: last object ordinal fully served
 * @param pending       INITIAL: ordinal of a group whose members continue on the next page, or -1
 * @param memberAfter   INITIAL: last member ordinal of {@code pending} already served
 * @param position      CHANGES: index of the next planned change
 * @param memberPosition CHANGES: index of the next member change of the planned change at {@code position}
 * @param pageSize      page size the round was started with (a Prefer header on a later page overrides it)
 * @param pageNumber    pages served so far in this round
 */
public record DeltaCursor(String tenantId, ObjectKind kind, DeltaPhase phase, int generation, long issuedAtMillis,
                          long selectMask, boolean members, long fromSeq, long toSeq, int bound, int after,
                          int pending, int memberAfter, int position, int memberPosition, int pageSize,
                          int pageNumber) {

    public static DeltaCursor deltaToken(String tenantId, ObjectKind kind, int generation, long issuedAtMillis,
                                         long selectMask, boolean members, long fromSeq, int pageSize) {
        return new DeltaCursor(tenantId, kind, DeltaPhase.DELTA, generation, issuedAtMillis, selectMask, members,
                fromSeq, 0, 0, -1, -1, -1, 0, 0, pageSize, 0);
    }

    public static DeltaCursor initialRound(String tenantId, ObjectKind kind, int generation, long issuedAtMillis,
                                           long selectMask, boolean members, long roundSeq, int bound, int pageSize) {
        return new DeltaCursor(tenantId, kind, DeltaPhase.INITIAL, generation, issuedAtMillis, selectMask, members,
                0, roundSeq, bound, -1, -1, -1, 0, 0, pageSize, 0);
    }

    public static DeltaCursor changesRound(String tenantId, ObjectKind kind, int generation, long issuedAtMillis,
                                           long selectMask, boolean members, long fromSeq, long toSeq, int pageSize) {
        return new DeltaCursor(tenantId, kind, DeltaPhase.CHANGES, generation, issuedAtMillis, selectMask, members,
                fromSeq, toSeq, 0, -1, -1, -1, 0, 0, pageSize, 0);
    }

    DeltaCursor nextInitialPage(int newAfter, int newPending, int newMemberAfter) {
        return new DeltaCursor(tenantId, kind, phase, generation, issuedAtMillis, selectMask, members, fromSeq, toSeq,
                bound, newAfter, newPending, newMemberAfter, position, memberPosition, pageSize, pageNumber + 1);
    }

    DeltaCursor nextChangesPage(int newPosition, int newMemberPosition) {
        return new DeltaCursor(tenantId, kind, phase, generation, issuedAtMillis, selectMask, members, fromSeq, toSeq,
                bound, after, pending, memberAfter, newPosition, newMemberPosition, pageSize, pageNumber + 1);
    }

    DeltaCursor skippedPage() {
        return new DeltaCursor(tenantId, kind, phase, generation, issuedAtMillis, selectMask, members, fromSeq, toSeq,
                bound, after, pending, memberAfter, position, memberPosition, pageSize, pageNumber + 1);
    }
}
