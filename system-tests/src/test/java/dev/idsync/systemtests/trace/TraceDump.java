package dev.idsync.systemtests.trace;

import dev.idsync.systemtests.trace.OtlpReceiver.ReceivedSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A trace as an indented text tree: one line per span, {@code service  span name  duration}, children indented. */
public final class TraceDump {

    private TraceDump() {
    }

    public static String indented(List<ReceivedSpan> trace) {
        Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        Map<String, List<ReceivedSpan>> children = new LinkedHashMap<>();
        List<ReceivedSpan> roots = new ArrayList<>();
        for (ReceivedSpan span : trace) {
            if (span.parentSpanId().isEmpty() || !ids.contains(span.parentSpanId())) {
                roots.add(span);
            } else {
                children.computeIfAbsent(span.parentSpanId(), k -> new ArrayList<>()).add(span);
            }
        }
        StringBuilder out = new StringBuilder();
        roots.forEach(root -> append(out, root, children, 0));
        return out.toString();
    }

    private static void append(StringBuilder out, ReceivedSpan span, Map<String, List<ReceivedSpan>> children, int depth) {
        out.append("  ".repeat(depth)).append(span.service()).append("  ").append(span.name()).append("  ")
                .append(String.format("%.1f ms", span.durationMicros() / 1000.0)).append('\n');
        children.getOrDefault(span.spanId(), List.of()).forEach(child -> append(out, child, children, depth + 1));
    }
}
