package dev.idsync.console;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The Runs page's chart: one bar pair per run of the last 30 days (duration, and changes = events read),
 * as inline SVG written on the server, so it needs no script and each bar has a text alternative.
 */
public final class RunChart {

    static final int WIDTH = 720;
    static final int HEIGHT = 180;

    private RunChart() {
    }

    public static String svg(List<RunView> runs, Instant now) {
        Instant since = now.minus(java.time.Duration.ofDays(30));
        List<RunView> shown = runs.stream().filter(r -> r.startedAt() != null && r.startedAt().isAfter(since))
                .filter(r -> !r.running()).sorted(Comparator.comparing(RunView::startedAt)).toList();
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + WIDTH
                + "\" height=\"" + (HEIGHT + 30) + "\" viewBox=\"0 0 " + WIDTH + " " + (HEIGHT + 30)
                + "\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">Duration (blue, left half of each pair) "
                + "and changes (orange, right half) of " + shown.size() + " runs in the last 30 days</title>");
        if (shown.isEmpty()) {
            return svg.append("<text x=\"10\" y=\"40\">No finished runs in the last 30 days.</text></svg>").toString();
        }
        long maxDuration = Math.max(1, shown.stream().mapToLong(RunView::durationMillis).max().orElse(1));
        long maxChanges = Math.max(1, shown.stream().mapToLong(RunView::objects).max().orElse(1));
        double slot = (double) WIDTH / shown.size();
        double bar = Math.max(1, slot / 2 - 1);
        for (int i = 0; i < shown.size(); i++) {
            RunView run = shown.get(i);
            double x = i * slot;
            double h1 = HEIGHT * (double) run.durationMillis() / maxDuration;
            double h2 = HEIGHT * (double) run.objects() / maxChanges;
            svg.append(String.format(java.util.Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1d4ed8\"><title>%s %s: %s</title></rect>",
                    x, HEIGHT - h1, bar, h1, run.started(), run.mode(), run.duration()));
            svg.append(String.format(java.util.Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#c2410c\"><title>%s %s: %d changes</title></rect>",
                    x + bar, HEIGHT - h2, bar, h2, run.started(), run.mode(), run.objects()));
        }
        svg.append(String.format(java.util.Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"12\">max %s · max %d changes · "
                + "%d runs</text></svg>", HEIGHT + 20, Formats.duration(maxDuration), maxChanges, shown.size()));
        return svg.toString();
    }
}
