package dev.idsync.emulator.graph;

import java.util.List;

/** Offset paging for small collections (members, memberOf), with Graph's 100-object default page. */
record CollectionPaging(int offset, int pageSize) {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 999;

    static CollectionPaging of(String skipToken, Integer preferredPageSize) {
        int offset = 0;
        if (skipToken != null) {
            try {
                offset = Integer.parseInt(skipToken.startsWith("o") ? skipToken.substring(1) : "x");
            } catch (NumberFormatException e) {
                throw GraphError.badRequest("Invalid value specified for '$skiptoken'.");
            }
        }
        int size = preferredPageSize == null ? DEFAULT_PAGE_SIZE : Math.max(1, Math.min(preferredPageSize, MAX_PAGE_SIZE));
        return new CollectionPaging(offset, size);
    }

    <T> List<T> slice(List<T> all) {
        return all.subList(Math.min(offset, all.size()), Math.min(offset + pageSize, all.size()));
    }

    /** The $skiptoken of the next page, or null when this page is the last. */
    String nextToken(int total) {
        return offset + pageSize < total ? "o" + (offset + pageSize) : null;
    }

    static List<String> select(String select, List<String> fallback) {
        if (select == null || select.isBlank()) {
            return fallback;
        }
        return List.of(select.split("\\s*,\\s*"));
    }
}
