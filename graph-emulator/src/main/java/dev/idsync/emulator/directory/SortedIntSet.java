package dev.idsync.emulator.directory;

import java.util.Arrays;

/**
 * A sorted set of ints in one array. Group memberships are stored as member ordinals here: a million
 * memberships cost 4 MB, and a paging cursor can resume "after ordinal X" by binary search, which stays
 * correct while members are added or removed between pages (an offset would skip members).
 * Not thread-safe; the owning tenant guards it with its lock.
 */
public final class SortedIntSet {

    private int[] values;
    private int size;

    public SortedIntSet() {
        this.values = new int[4];
    }

    private SortedIntSet(int[] sortedDistinct, int size) {
        this.values = sortedDistinct;
        this.size = size;
    }

    /** Builds a set from unsorted values, dropping duplicates; used by bulk seeding. */
    public static SortedIntSet fromUnsorted(int[] raw, int count) {
        int[] copy = Arrays.copyOf(raw, Math.max(count, 4));
        Arrays.sort(copy, 0, count);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (distinct == 0 || copy[distinct - 1] != copy[i]) {
                copy[distinct++] = copy[i];
            }
        }
        return new SortedIntSet(copy, distinct);
    }

    public int size() {
        return size;
    }

    public boolean contains(int value) {
        return Arrays.binarySearch(values, 0, size, value) >= 0;
    }

    /** @return true if the value was not present */
    public boolean add(int value) {
        int pos = Arrays.binarySearch(values, 0, size, value);
        if (pos >= 0) {
            return false;
        }
        int insertAt = -pos - 1;
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length + (values.length >> 1) + 1);
        }
        System.arraycopy(values, insertAt, values, insertAt + 1, size - insertAt);
        values[insertAt] = value;
        size++;
        return true;
    }

    /** @return true if the value was present */
    public boolean remove(int value) {
        int pos = Arrays.binarySearch(values, 0, size, value);
        if (pos < 0) {
            return false;
        }
        System.arraycopy(values, pos + 1, values, pos, size - pos - 1);
        size--;
        return true;
    }

    public int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return values[index];
    }

    /** Index of the first value strictly greater than {@code value}. */
    public int indexAfter(int value) {
        int pos = Arrays.binarySearch(values, 0, size, value);
        return pos >= 0 ? pos + 1 : -pos - 1;
    }

    public int[] toArray() {
        return Arrays.copyOf(values, size);
    }

    public void clear() {
        size = 0;
    }
}
