package dev.idsync.graph.delta;

/**
 * Per-request preferences.
 *
 * @param maxPageSize   sent as {@code Prefer: odata.maxpagesize=n} (Graph has no $top on delta); null for Graph's default
 * @param returnMinimal sent as {@code Prefer: return=minimal}: changed properties only on follow-up rounds
 */
public record DeltaRequestOptions(Integer maxPageSize, boolean returnMinimal) {

    public static DeltaRequestOptions defaults() {
        return new DeltaRequestOptions(null, false);
    }

    String preferHeader() {
        StringBuilder sb = new StringBuilder();
        if (maxPageSize != null) {
            sb.append("odata.maxpagesize=").append(maxPageSize);
        }
        if (returnMinimal) {
            sb.append(sb.isEmpty() ? "" : ", ").append("return=minimal");
        }
        return sb.toString();
    }
}
