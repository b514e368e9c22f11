package dev.idsync.poller.run;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.config.SelectDefaults;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.delta.DeltaItem;
import dev.idsync.graph.delta.DeltaPage;
import dev.idsync.graph.delta.DeltaPageFetcher;
import dev.idsync.graph.delta.DeltaPageResult;
import dev.idsync.graph.delta.DeltaQuery;
import dev.idsync.graph.delta.DeltaRequestOptions;
import dev.idsync.graph.delta.DeltaResource;
import dev.idsync.graph.delta.ResyncRequired;
import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.mapping.DeltaEventMapper;
import dev.idsync.poller.metrics.PollerMetrics;
import dev.idsync.poller.publish.ObservationPublisher;
import dev.idsync.poller.state.DeltaState;
import dev.idsync.poller.state.DeltaStateStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * One resource of a run: pages from Graph, observations to Kafka, and after Kafka acknowledged a page, its
 * checkpoint (the next page's link) or, after the last page, the new delta token. Up to
 * {@code idsync.poller.pages-in-flight} pages are sent ahead of their acknowledgement, in order, and settled
 * (counted, checkpointed) in order. A crash anywhere repeats at most the pages in flight; a stop resumes
 * exactly after the last acknowledged page.
 *
 * <p>One run, one epoch (DESIGN.md invariant 12): a new initial round that replaces expired or stale state
 * runs in the run's new epoch, which the first such round of a delta run opens and every later one reuses
 * ({@link RunContext#resyncEpoch}); a full run opened it at its start.
 */
@ApplicationScoped
class ResourceSync {

    private static final Logger LOG = Logger.getLogger(ResourceSync.class);

    private final DeltaStateStore state;
    private final ObservationPublisher publisher;
    private final SyncRunLedger ledger;
    private final PollerMetrics metrics;
    private final PollerConfig config;
    private final Tracer tracer;

    ResourceSync(DeltaStateStore state, ObservationPublisher publisher, SyncRunLedger ledger, PollerMetrics metrics,
                 PollerConfig config, Tracer tracer) {
        this.tracer = tracer;
        this.state = state;
        this.publisher = publisher;
        this.ledger = ledger;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Where a round starts: its first URL, its epoch, how many of its pages are already published, and
     * whether it is an initial query (reports every object and no deletions).
     */
    private record Start(URI url, long epoch, long pagesBefore, boolean initialRound) {
    }

    /**
     * A page sent to Kafka and not yet settled: what its checkpoint and the run's counters need once Kafka
     * acknowledged it (its events themselves are no longer held).
     */
    private record PageInFlight(CompletableFuture<Void> acknowledged, long roundPages, Optional<URI> nextLink,
                                int objects, int events, int retries, Map<String, Long> counts) {
    }

    /**
     * A page asked of Graph, with its span {@code graph page <resource>}: from the request until its
     * observations are sent to Kafka, so the Graph round trip (retries included) and the publish show in the
     * run's trace, and every record of the page names this span as its parent ({@code traceparent}).
     */
    private record Fetch(CompletableFuture<DeltaPageResult> result, Span span) {

        /** Drops the page (a stop, a failure, a resync): the request is cancelled, the span ended. */
        void cancel() {
            result.cancel(false);
            span.end();
        }
    }

    private Fetch fetch(DeltaPageFetcher pages, URI url, DeltaRequestOptions options, String resource, long page) {
        Span span = tracer.spanBuilder("graph page " + resource)
                .setAttribute("idsync.resource", resource)
                .setAttribute("idsync.page", page)
                .startSpan();
        CompletableFuture<DeltaPageResult> result = pages.fetchAsync(url, options);
        result.whenComplete((answer, error) -> {
            if (answer instanceof DeltaPage delta) {
                span.setAttribute("idsync.page.objects", delta.items().size());
                span.setAttribute("idsync.page.attempts", delta.attempts());
            } else if (answer instanceof ResyncRequired resync) {
                span.setAttribute("idsync.page.resync", resync.status());
            } else if (error != null) {
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            }
        });
        return new Fetch(result, span);
    }

    /** Whether every one of the resources starts with an initial round: no token and no round in progress. */
    boolean allStartInitial(String tenantId, List<String> resources) {
        return resources.stream().map(r -> state.load(tenantId, r))
                .allMatch(s -> s.token().isEmpty() && s.checkpoint().isEmpty());
    }

    void sync(GraphAccess graph, IdsyncConfig.Tenant tenant, String resource, RunContext ctx) {
        SyncRunRecord run = ctx.run;
        List<String> select = SelectDefaults.forResource(tenant, resource);
        String selectKey = String.join(",", select);
        URI initial = DeltaQuery.initial(graph.graphBaseUrl(), deltaResource(resource), select);
        boolean dryRun = run.mode() == SyncMode.DRY_RUN;
        // A dry run and a capped read of users must not move the state a real, complete run relies on.
        boolean persistent = !dryRun && !("users".equals(resource) && ctx.capped());
        DeltaRequestOptions options = new DeltaRequestOptions(config.pageSize(), false);

        DeltaState stored = dryRun ? DeltaState.NONE : state.load(run.tenantId(), resource);
        Start start = persistent ? startOf(run, resource, stored, selectKey, initial, ctx) : new Start(initial, ctx.epoch(), 0, true);
        // Dry runs publish elsewhere; every other round continues the resource's observation order.
        ObservationClock clock = new ObservationClock(stored.lastObservedAt());
        URI url = start.url();
        long epoch = start.epoch();
        boolean initialRound = start.initialRound();
        long roundPages = start.pagesBefore();
        boolean resynced = false;
        long objects = 0;
        Instant began = Instant.now();
        DeltaPageFetcher pages = graph.deltaPages();
        // Pages sent but not yet settled, oldest first. Each is checkpointed only once Kafka acknowledged it
        // and every page before it, so a crash repeats at most the pages in flight.
        Deque<PageInFlight> inFlight = new ArrayDeque<>();
        Round round = new Round(run, resource, selectKey, persistent, ctx, clock, inFlight);
        Fetch pending = fetch(pages, url, options, resource, roundPages + 1);
        Fetch next = null;
        try {
            while (true) {
                if (ctx.stopRequested()) {
                    pending.cancel();
                    round.settle(true, epoch, initialRound);
                    throw new RunInterrupted("stopped before page " + (roundPages + 1) + " of " + resource
                            + (ctx.abortCause().isPresent() ? " (another resource of the run failed)"
                            : " (the instance is shutting down); the next run resumes there"));
                }
                DeltaPageResult result = DeltaPageFetcher.await(url, pending.result());
                if (result instanceof ResyncRequired resync) {
                    if (resynced) {
                        throw new IllegalStateException("Graph refused the fresh initial query of " + resource + " too: "
                                + resync.status() + " " + resync.errorCode());
                    }
                    resynced = true;
                    // What was sent of the old round is settled first; then its state is abandoned.
                    round.settle(true, epoch, initialRound);
                    String reason = "delta state expired (HTTP " + resync.status()
                            + (resync.errorCode() == null ? "" : " " + resync.errorCode()) + ")";
                    if (persistent) {
                        state.abandon(run.tenantId(), resource, reason + " in run " + run.runId());
                    }
                    epoch = dryRun ? epoch : ctx.resyncEpoch(() -> ledger.nextEpoch(run.tenantId()));
                    ctx.count("resyncs", 1);
                    ctx.note(resource + ": " + reason + "; token kept as backup, new initial round in epoch " + epoch);
                    metrics.resync(run.tenantId(), resource, "expired");
                    LOG.warnf("%s: %s; new initial round in epoch %d", resource, reason, epoch);
                    url = initial;
                    roundPages = 0;
                    initialRound = true;
                    pending.span().end();
                    pending = fetch(pages, url, options, resource, 1);
                    continue;
                }
                DeltaPage page = (DeltaPage) result;
                List<DeltaItem> items = page.items();
                boolean capReached = false;
                if ("users".equals(resource) && ctx.capped()) {
                    long left = ctx.usersLeft();
                    if (items.size() >= left) {
                        items = items.subList(0, (int) left);
                        capReached = true;
                    }
                    ctx.usersRead(items.size());
                }
                // The next page travels while this one is mapped, sent and acknowledged: Graph's latency,
                // the poller's CPU and Kafka's acknowledgements overlap. Nothing about it is stored before this
                // page is acknowledged.
                next = capReached || page.nextLink().isEmpty() ? null
                        : fetch(pages, page.nextLink().get(), options, resource, roundPages + 2);
                Instant observedAt = clock.next(page.observedAt());
                var mapper = new DeltaEventMapper(run.tenantId(), run.runId(), epoch, observedAt);
                DeltaEventMapper.Mapped mapped = mapper.map(resource, items);
                CompletableFuture<Void> acknowledged;
                try (Scope scope = Context.current().with(pending.span()).makeCurrent()) {
                    acknowledged = publisher.publish(mapped.events(), dryRun);
                } finally {
                    pending.span().setAttribute("idsync.page.events", mapped.events().size());
                    pending.span().end();
                }
                roundPages++;
                objects += items.size();
                inFlight.add(new PageInFlight(acknowledged, roundPages, capReached ? Optional.empty() : page.nextLink(),
                        items.size(), mapped.events().size(), page.attempts() - 1, pageCounts(resource, mapped)));

                if (capReached) {
                    round.settle(true, epoch, initialRound);
                    ctx.note("users: stopped after " + run.limitUsers() + " users (limitUsers); no token stored");
                    state.saveProgress(ctx.progress());
                    return;
                }
                if (page.nextLink().isPresent()) {
                    url = page.nextLink().get();
                    pending = next;
                    next = null;
                    round.settle(false, epoch, initialRound);
                    continue;
                }
                URI deltaLink = page.deltaLink().orElseThrow(() -> new IllegalStateException(
                        "Graph sent a delta page with neither nextLink nor deltaLink"));
                round.settleWithoutCheckpoint();
                if (persistent) {
                    state.completeRound(run.tenantId(), resource,
                            new DeltaState.Token(deltaLink.toString(), epoch, selectKey, null), clock.last().orElse(observedAt),
                            ctx.progress());
                    metrics.roundCompleted(run.tenantId(), resource, objects, Duration.between(began, Instant.now()));
                    // Consumers sweep what such a round did not see (objects of an older epoch), since an initial
                    // round reports no deletions: after a resync, deletions made while the token was expired.
                    if (initialRound) {
                        ctx.initialRoundCompleted(resource, epoch);
                    }
                } else {
                    state.saveProgress(ctx.progress());
                }
                LOG.infof("%s: round complete, %d pages, %d objects in %d ms", resource, roundPages, objects,
                        Duration.between(began, Instant.now()).toMillis());
                return;
            }
        } catch (RuntimeException e) {
            pending.cancel();
            if (next != null) {
                next.cancel();
            }
            throw e;
        }
    }

    /** The round's pages in flight: settled in order, each checkpointed after Kafka acknowledged it. */
    private final class Round {
        private final SyncRunRecord run;
        private final String resource;
        private final String selectKey;
        private final boolean persistent;
        private final RunContext ctx;
        private final ObservationClock clock;
        private final Deque<PageInFlight> inFlight;

        Round(SyncRunRecord run, String resource, String selectKey, boolean persistent, RunContext ctx,
              ObservationClock clock, Deque<PageInFlight> inFlight) {
            this.run = run;
            this.resource = resource;
            this.selectKey = selectKey;
            this.persistent = persistent;
            this.ctx = ctx;
            this.clock = clock;
            this.inFlight = inFlight;
        }

        /**
         * Settles the acknowledged pages at the head, waiting for the oldest while more than the allowed pages
         * are in flight (or for all of them with {@code all}), then stores one checkpoint: the link after the
         * newest settled page. A page Kafka refused fails the run here, before anything after it is stored.
         */
        void settle(boolean all, long epoch, boolean initialRound) {
            PageInFlight last = drain(all);
            if (last == null) {
                return;
            }
            if (persistent && last.nextLink().isPresent()) {
                // observedAt stored is the newest handed out (also to pages still in flight), so a resumed round
                // continues after every observation already sent.
                state.saveCheckpoint(run.tenantId(), resource, new DeltaState.Checkpoint(last.nextLink().get().toString(),
                        epoch, selectKey, run.runId(), last.roundPages(), null, initialRound),
                        clock.last().orElseThrow(), ctx.progress());
            } else {
                state.saveProgress(ctx.progress());
            }
        }

        /** Waits for every page in flight and counts them; the caller stores the round's end. */
        void settleWithoutCheckpoint() {
            drain(true);
        }

        private PageInFlight drain(boolean all) {
            PageInFlight last = null;
            while (!inFlight.isEmpty()) {
                PageInFlight head = inFlight.peekFirst();
                if (!all && !head.acknowledged().isDone() && inFlight.size() < config.pagesInFlight()) {
                    break;
                }
                ObservationPublisher.await(head.acknowledged());
                inFlight.pollFirst();
                countPage(ctx, head);
                metrics.page(run.tenantId(), resource, head.objects(), head.events(), head.retries());
                if (ctx.pages() % config.progressEveryPages() == 0) {
                    LOG.infof("progress: %s page %d of this round, run totals %s", resource, head.roundPages(),
                            ctx.counts());
                }
                last = head;
            }
            return last;
        }
    }

    /**
     * A delta run resumes an interrupted round at its checkpoint, else continues from the token; a full run
     * starts a new initial round (the token it replaces stays until that round completes). A token or
     * checkpoint taken with another $select no longer fits the query (Microsoft's delta query docs: a
     * deltaLink keeps the query it was issued for): it is kept as a backup and a new initial round starts
     * in the run's new epoch.
     */
    private Start startOf(SyncRunRecord run, String resource, DeltaState current, String selectKey, URI initial,
                          RunContext ctx) {
        if (run.mode() == SyncMode.FULL) {
            return new Start(initial, ctx.epoch(), 0, true);
        }
        boolean stale = current.checkpoint().map(c -> !selectKey.equals(c.select())).orElse(false)
                || current.token().map(t -> !selectKey.equals(t.select())).orElse(false);
        if (stale) {
            String reason = "the selected attributes changed";
            state.abandon(run.tenantId(), resource, reason + " (run " + run.runId() + ")");
            long epoch = ctx.resyncEpoch(() -> ledger.nextEpoch(run.tenantId()));
            ctx.count("resyncs", 1);
            ctx.note(resource + ": " + reason + "; token kept as backup, new initial round in epoch " + epoch);
            metrics.resync(run.tenantId(), resource, "query-changed");
            return new Start(initial, epoch, 0, true);
        }
        if (current.checkpoint().isPresent()) {
            DeltaState.Checkpoint c = current.checkpoint().get();
            ctx.note(resource + ": resumed at page " + (c.pages() + 1) + " of the round begun by run " + c.runId());
            LOG.infof("%s: resuming at page %d of the round begun by run %s", resource, c.pages() + 1, c.runId());
            return new Start(URI.create(c.nextLink()), c.epoch(), c.pages(), c.initialRound());
        }
        if (current.token().isPresent()) {
            DeltaState.Token t = current.token().get();
            metrics.tokenKnown(run.tenantId(), resource, t.storedAt());
            return new Start(URI.create(t.deltaLink()), ctx.epoch(), 0, false);
        }
        return new Start(initial, ctx.epoch(), 0, true);
    }

    /** The counters one page adds to its run, summed per page rather than per event. */
    private static Map<String, Long> pageCounts(String resource, DeltaEventMapper.Mapped mapped) {
        Map<String, Long> counts = new HashMap<>();
        counts.put("pages." + resource, 1L);
        if (mapped.skippedMembers() > 0) {
            counts.put("skippedMembers", (long) mapped.skippedMembers());
        }
        for (SyncEvent event : mapped.events()) {
            counts.merge(countName(event), 1L, Long::sum);
        }
        return counts;
    }

    private static void countPage(RunContext ctx, PageInFlight page) {
        ctx.pagePublished(page.counts());
        ctx.count("graphRetries", page.retries());
    }

    /** {@code dev.idsync.user.upserted.v1} → {@code user.upserted}. */
    static String countName(SyncEvent event) {
        String type = event.ceType();
        return type.substring("dev.idsync.".length(), type.lastIndexOf('.'));
    }

    private static DeltaResource deltaResource(String resource) {
        return switch (resource) {
            case "users" -> DeltaResource.USERS;
            case "groups" -> DeltaResource.GROUPS;
            case "directoryRoles" -> DeltaResource.DIRECTORY_ROLES;
            default -> throw new IllegalArgumentException("unknown resource " + resource);
        };
    }
}
