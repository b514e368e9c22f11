package dev.idsync.emulator.directory;

/**
 * One property of an emulated directory type.
 *
 * @param index     position in the object's value array and bit in change masks (&lt; 64)
 * @param readOnly  Graph rejects it in a PATCH
 * @param maxLength longest accepted string value, 0 for no limit
 */
public record PropertyDef(int index, String name, PropertyType type, boolean readOnly, int maxLength) {

    public long bit() {
        return 1L << index;
    }
}
