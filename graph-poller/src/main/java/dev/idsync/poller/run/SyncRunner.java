package dev.idsync.poller.run;

import dev.idsync.config.IdsyncConfig;
import dev.idsync.db.DatabaseRetry;
import dev.idsync.events.SyncEvent;
import dev.idsync.events.SyncMode;
import dev.idsync.events.SyncRun;
import dev.idsync.events.SyncRunCompleted;
import dev.idsync.events.SyncRunFailed;
import dev.idsync.events.SyncRunStarted;
import dev.idsync.graph.GraphAccess;
import dev.idsync.graph.GraphRequestException;
import dev.idsync.poller.config.PollerConfig;
import dev.idsync.poller.graph.PollerTenants;
import dev.idsync.poller.graph.TenantGraphs;
import dev.idsync.poller.metrics.PollerMetrics;
import dev.idsync.poller.publish.RunEventPublisher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Starts runs (lock, record, {@code syncrun.started}) and executes them on a worker thread, resource by
 * resource; ends each with {@code syncrun.completed} or {@code syncrun.failed} carrying epoch, mode and counts.
 * A shutdown stops active runs at their next page boundary, so they resume from their checkpoint.
 *
 * <p>Each run is one span, {@code sync run <mode>}: a child of the admin's HTTP request that started it, or a
 * root span when the schedule did. Its pages ({@code graph page <resource>}, ResourceSync) and run markers
 * are its children, and every record published carries that context, so the consumers' spans continue it.
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final RunStarter starter;
    private final SyncRunLedger ledger;
    private final ResourceSync resources;
    private final RunEventPublisher runEvents;
    private final TenantGraphs graphs;
    private final PollerTenants tenants;
    private final PollerMetrics metrics;
    private final PollerConfig config;
    private final DatabaseRetry databaseRetry;
    private final Event<RunEnded> runEnded;
    private final Tracer tracer;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, CompletableFuture<Void>> active = new ConcurrentHashMap<>();
    private final ExecutorService workers;

    SyncRunner(RunStarter starter, SyncRunLedger ledger, ResourceSync resources, RunEventPublisher runEvents,
               TenantGraphs graphs, PollerTenants tenants, PollerMetrics metrics, PollerConfig config,
               DatabaseRetry databaseRetry, Event<RunEnded> runEnded, Tracer tracer) {
        this.tracer = tracer;
        this.starter = starter;
        this.ledger = ledger;
        this.resources = resources;
        this.runEvents = runEvents;
        this.graphs = graphs;
        this.tenants = tenants;
        this.metrics = metrics;
        this.config = config;
        this.databaseRetry = databaseRetry;
        this.runEnded = runEnded;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sync-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the run if none of its resources is busy, publishing {@code syncrun.started} before returning.
     *
     * @return {@link RunStarter.Started} with the running run, or {@link RunStarter.Busy} naming the active run
     */
    public RunStarter.Outcome start(RunRequest request) {
        if (stopping.get()) {
            throw new IllegalStateException("the poller is shutting down");
        }
        return launch(request, starter.tryStart(request));
    }

    /**
     * A scheduled full run of the tenant, if its full sync is due ({@link RunStarter#tryStartIfDue}).
     *
     * @return empty when not due; else as {@link #start}
     */
    public Optional<RunStarter.Outcome> startFullIfDue(RunRequest request, FullSyncPolicy policy) {
        if (stopping.get()) {
            throw new IllegalStateException("the poller is shutting down");
        }
        return starter.tryStartIfDue(request, policy).map(outcome -> launch(request, outcome));
    }

    private RunStarter.Outcome launch(RunRequest request, RunStarter.Outcome outcome) {
        if (!(outcome instanceof RunStarter.Started started)) {
            return outcome;
        }
        SyncRunRecord run = started.run();
        Span span = tracer.spanBuilder("sync run " + run.mode().json())
                .setAttribute("idsync.tenant", run.tenantId())
                .setAttribute("idsync.run_id", run.runId())
                .setAttribute("idsync.trigger", String.valueOf(run.trigger()))
                .startSpan();
        Context traced = Context.current().with(span);
        try (Scope scope = traced.makeCurrent()) {
            publishStarted(request, started, run);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            span.end();
            throw e;
        }
        RunContext ctx = new RunContext(run, stopping);
        CompletableFuture<Void> done = new CompletableFuture<>();
        active.put(run.runId(), done);
        workers.execute(traced.wrap(() -> {
            try {
                withMdc(run, () -> execute(ctx, started.lease()));
            } finally {
                span.end();
                active.remove(run.runId());
                done.complete(null);
            }
        }));
        return outcome;
    }

    private void publishStarted(RunRequest request, RunStarter.Started started, SyncRunRecord run) {
        withMdc(run, () -> {
            try {
                runEvents.publishAndAwait(new SyncRunStarted(run.tenantId(), run.runId(), run.runId(), run.epoch(),
                        clock.instant(), new SyncRun(run.mode(), run.resources(), Map.of(), null)), request.dryRun());
            } catch (RuntimeException e) {
                ledger.finish(run.runId(), "failed", run.epoch(), 0, Map.of(), "could not publish syncrun.started: "
                        + e.getMessage(), java.util.List.of());
                started.lease().close();
                throw e;
            }
            LOG.infof("sync run started: mode=%s resources=%s epoch=%d trigger=%s limitUsers=%s", run.mode().json(),
                    run.resources(), run.epoch(), run.trigger(), run.limitUsers());
        });
    }

    /**
     * The lease is held until the run's end is published and recorded: a run that starts after this one
     * (here or on another instance) finds it closed, its {@code syncrun.completed} already in the tenant's
     * partition and, for a full run, the tenant's last full sync updated.
     */
    private void execute(RunContext ctx, RunLease lease) {
        SyncRunRecord run = ctx.run;
        String state;
        try (lease) {
            state = executeHoldingLease(ctx);
        }
        runEnded.fireAsync(new RunEnded(run.tenantId(), run.runId(), run.mode(), state));
    }

    private String executeHoldingLease(RunContext ctx) {
        SyncRunRecord run = ctx.run;
        Instant began = Instant.now();
        String state = "completed";
        String error = null;
        boolean allResourcesOfTenant = false;
        try {
            IdsyncConfig.Tenant tenant = tenants.find(run.tenantId()).orElseThrow(
                    () -> new IllegalStateException("tenant " + run.tenantId() + " is no longer configured"));
            allResourcesOfTenant = run.resources().containsAll(tenants.resourcesOf(tenant));
            GraphAccess graph = graphs.of(run.tenantId());
            if (readsInParallel(run, ctx)) {
                syncInParallel(graph, tenant, ctx);
            } else {
                for (String resource : run.resources()) {
                    resources.sync(graph, tenant, resource, ctx);
                }
            }
        } catch (RunInterrupted e) {
            state = "interrupted";
            error = e.getMessage();
        } catch (GraphRequestException e) {
            state = "failed";
            error = (e.isTransient() ? "Graph stayed unavailable after " + e.attempts() + " attempts: " : "Graph: ")
                    + e.getMessage() + "; the delta token is unchanged, the next run continues from it";
        } catch (RuntimeException e) {
            state = "failed";
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("sync run failed", e);
        }
        // A full run of every resource, uncapped, is the tenant's full sync (the schedule's clock restarts).
        boolean fullSyncOfTenant = run.mode() == SyncMode.FULL && allResourcesOfTenant && !ctx.capped();
        return end(ctx, state, error, Duration.between(began, Instant.now()), fullSyncOfTenant);
    }

    /**
     * Rounds that all start from scratch (a full run, a dry run, a tenant's first sync) need nothing from each
     * other, so they run side by side: one tenant's users, groups and directory roles are read, mapped and
     * published at once (consumers take a membership before its user, DESIGN.md invariant 7; the run's
     * completion still follows every page). A delta run with tokens reads one resource after the other, so
     * a resource read after a resync carries the run's new epoch (invariant 12).
     */
    private boolean readsInParallel(SyncRunRecord run, RunContext ctx) {
        if (!config.parallelInitialRounds() || run.resources().size() < 2 || ctx.capped()) {
            return false;
        }
        return run.mode() != SyncMode.DELTA || resources.allStartInitial(run.tenantId(), run.resources());
    }

    /** Each resource on a worker of its own; the first failure stops the others and is the run's. */
    private void syncInParallel(GraphAccess graph, IdsyncConfig.Tenant tenant, RunContext ctx) {
        SyncRunRecord run = ctx.run;
        java.util.List<CompletableFuture<Void>> rounds = run.resources().stream()
                .map(resource -> CompletableFuture.runAsync(Context.current().wrap(() -> withMdc(run, () -> {
                    try {
                        resources.sync(graph, tenant, resource, ctx);
                    } catch (RuntimeException e) {
                        if (!(e instanceof RunInterrupted) || ctx.abortCause().isEmpty()) {
                            ctx.abort(e);
                        }
                        throw e;
                    }
                })), workers)).toList();
        RuntimeException interrupted = null;
        for (CompletableFuture<Void> round : rounds) {
            try {
                round.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RunInterrupted stopped && interrupted == null) {
                    interrupted = stopped;
                }
            }
        }
        if (ctx.abortCause().isPresent()) {
            throw ctx.abortCause().get();
        }
        if (interrupted != null) {
            throw interrupted;
        }
    }

    /** The final event first (Kafka must know before the ledger says so), then the ledger. */
    private String end(RunContext ctx, String state, String error, Duration duration, boolean fullSyncOfTenant) {
        SyncRunRecord run = ctx.run;
        String reason = error != null ? error : ctx.notes().isEmpty() ? null : String.join("; ", ctx.notes());
        SyncRun data = new SyncRun(run.mode(), run.resources(), ctx.counts(), reason, ctx.initialRounds());
        SyncEvent event = "completed".equals(state)
                ? new SyncRunCompleted(run.tenantId(), run.runId(), run.runId(), ctx.epoch(), clock.instant(), data)
                : new SyncRunFailed(run.tenantId(), run.runId(), run.runId(), ctx.epoch(), clock.instant(), data);
        try {
            runEvents.publishAndAwait(event, run.dryRunMode());
        } catch (RuntimeException e) {
            LOG.errorf("could not publish the end of run %s: %s", run.runId(), e.getMessage());
            error = (error == null ? "" : error + "; ") + "the end event could not be published: " + e.getMessage();
            state = "completed".equals(state) ? "failed" : state;
        }
        // A run that failed because PostgreSQL went away must still end as failed once it is back, not stay
        // 'running' until the next run of the tenant closes it as abandoned.
        String finalState = state;
        String finalError = error;
        try {
            databaseRetry.run("finish sync run", () -> ledger.finish(run.runId(), finalState, ctx.epoch(), ctx.pages(),
                    ctx.counts(), finalError, ctx.notes(), fullSyncOfTenant));
        } catch (RuntimeException e) {
            LOG.errorf("could not record the end of run %s (%s); the next run of the tenant closes it: %s",
                    run.runId(), state, e.getMessage());
        }
        metrics.runEnded(run.tenantId(), run.mode().json(), state, duration);
        Span.current().setAttribute("idsync.run_state", state);
        if (!"completed".equals(state)) {
            Span.current().setStatus(StatusCode.ERROR, String.valueOf(error));
        }
        if ("completed".equals(state)) {
            LOG.infof("sync run completed in %d ms: %d pages, counts %s", duration.toMillis(), ctx.pages(), ctx.counts());
        } else {
            LOG.warnf("sync run %s after %d ms: %s", state, duration.toMillis(), error);
        }
        return state;
    }

    /** Runs executing on this instance. */
    public java.util.Set<String> activeRunIds() {
        return java.util.Set.copyOf(active.keySet());
    }

    /**
     * Stops every active run at its next page boundary and waits for them (bounded by the grace period). Each
     * ends as 'interrupted' with its checkpoint stored, and the next run resumes there.
     */
    public void stopAll() {
        stopping.set(true);
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (CompletableFuture<Void> run : active.values()) {
            try {
                run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warnf("a run did not stop within the grace period: %s", e.toString());
            }
        }
    }

    /** Accept runs again after {@link #stopAll()} (a stop without shutting down: tests, maintenance). */
    public void resume() {
        stopping.set(false);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopAll();
        workers.shutdown();
    }

    private static void withMdc(SyncRunRecord run, Runnable work) {
        MDC.put("tenant", run.tenantId());
        MDC.put("runId", run.runId());
        try {
            work.run();
        } finally {
            MDC.remove("tenant");
            MDC.remove("runId");
        }
    }
}
