package dev.idsync.emulator.graph;

/** The content type Graph answers with. */
public final class GraphMediaType {

    public static final String JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    private GraphMediaType() {
    }
}
