package dev.idsync.graph.delta;

/** What fetching one delta URL can yield besides an exception: a page, or the order to start over. */
public sealed interface DeltaPageResult permits DeltaPage, ResyncRequired {
}
