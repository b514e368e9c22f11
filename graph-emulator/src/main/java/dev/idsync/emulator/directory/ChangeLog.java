package dev.idsync.emulator.directory;

import java.util.Arrays;

/**
 * The tenant's append-only history of changes, one sequence number per entry. Delta tokens are positions
 * in this log, so a follow-up delta is "everything after position S" without keeping per-client state.
 * Stored as parallel primitive arrays (about 21 bytes an entry) because seeding a 1M-membership tenant
 * writes a million entries. Guarded by the tenant's lock.
 */
public final class ChangeLog {

    private int[] ordinals = new int[1024];
    private byte[] ops = new byte[1024];
    private long[] masks = new long[1024];
    private int[] memberOrdinals = new int[1024];
    private int size;

    /** Sequence number of the last entry; 0 while the log is empty. Entry i has sequence i + 1. */
    public long lastSequence() {
        return size;
    }

    long append(int ordinal, ChangeOp op, long mask, int memberOrdinal) {
        if (size == ordinals.length) {
            int newLength = ordinals.length * 2;
            ordinals = Arrays.copyOf(ordinals, newLength);
            ops = Arrays.copyOf(ops, newLength);
            masks = Arrays.copyOf(masks, newLength);
            memberOrdinals = Arrays.copyOf(memberOrdinals, newLength);
        }
        ordinals[size] = ordinal;
        ops[size] = (byte) op.ordinal();
        masks[size] = mask;
        memberOrdinals[size] = memberOrdinal;
        size++;
        return size;
    }

    /** Visits the entries with sequence in (afterSequence, upToSequence]. */
    public void forEach(long afterSequence, long upToSequence, EntryVisitor visitor) {
        long end = Math.min(upToSequence, size);
        for (long seq = afterSequence + 1; seq <= end; seq++) {
            int i = (int) (seq - 1);
            visitor.visit(seq, ordinals[i], ChangeOp.ofCode(ops[i]), masks[i], memberOrdinals[i]);
        }
    }

    void clear() {
        size = 0;
    }

    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long sequence, int ordinal, ChangeOp op, long mask, int memberOrdinal);
    }
}
