package dev.idsync.graph.delta;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the first URL of a delta round. Every later URL is a nextLink or deltaLink exactly as Graph
 * returned it: $select and the state travel inside those links.
 */
public final class DeltaQuery {

    private DeltaQuery() {
    }

    /** A full initial round: all objects plus, at the end, a deltaLink. */
    public static URI initial(URI graphBaseUrl, DeltaResource resource, List<String> select) {
        return URI.create(base(graphBaseUrl, resource) + selectParameter(select, '?'));
    }

    /** "Sync from now": no objects, only a deltaLink for changes from this moment on. */
    public static URI latest(URI graphBaseUrl, DeltaResource resource, List<String> select) {
        return URI.create(base(graphBaseUrl, resource) + "?$deltatoken=latest" + selectParameter(select, '&'));
    }

    private static String base(URI graphBaseUrl, DeltaResource resource) {
        String s = graphBaseUrl.toString();
        return (s.endsWith("/") ? s : s + "/") + resource.segment() + "/delta";
    }

    private static String selectParameter(List<String> select, char separator) {
        if (select == null || select.isEmpty()) {
            return "";
        }
        return separator + "$select=" + URLEncoder.encode(String.join(",", select), StandardCharsets.UTF_8)
                .replace("%2C", ",");
    }
}
