package dev.idsync.graph.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.graph.GraphRequestException;
import dev.idsync.graph.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Fetches delta pages over plain {@code java.net.http} and Jackson: lighter than the SDK for paging and
 * in full control of retries. Follows nextLinks exactly as given; retries throttling and unavailability
 * honouring {@code Retry-After}, with bounded backoff and jitter; waits on a timer, never on a thread;
 * maps both of Graph's "start over" answers to {@link ResyncRequired}.
 */
public final class DeltaPageFetcher {

    private static final System.Logger LOG = System.getLogger(DeltaPageFetcher.class.getName());
    private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
    /** OData error codes that mean "this token is gone, run a full sync". */
    private static final Set<String> RESYNC_CODES = Set.of("syncStateNotFound", "resyncRequired", "syncStateInvalid");

    private final HttpClient http;
    private final AccessTokenSource tokens;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final ObjectMapper mapper;
    private final DeltaPageParser parser;

    public DeltaPageFetcher(HttpClient http, AccessTokenSource tokens, RetryPolicy retry, Duration requestTimeout,
                            ObjectMapper mapper) {
        this.http = http;
        this.tokens = tokens;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
        this.mapper = mapper;
        this.parser = new DeltaPageParser(mapper);
    }

    /** Blocking variant for callers on their own worker thread; waits at most the retry policy's budget. */
    public DeltaPageResult fetch(URI url, DeltaRequestOptions options) {
        return await(url, fetchAsync(url, options));
    }

    /**
     * Waits for a page requested with {@link #fetchAsync} and fails as {@link #fetch} does (the request's own
     * exception, not a wrapper), so a caller that requests the next page ahead handles errors in one way.
     */
    public static DeltaPageResult await(URI url, CompletableFuture<DeltaPageResult> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphRequestException("interrupted while fetching " + url, 0, null, 0, null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new GraphRequestException(e.getCause().getMessage(), 0, null, 0, null, e.getCause());
        }
    }

    public CompletableFuture<DeltaPageResult> fetchAsync(URI url, DeltaRequestOptions options) {
        return attempt(url, options, 1, 0, false);
    }

    private CompletableFuture<DeltaPageResult> attempt(URI url, DeltaRequestOptions options, int attempt,
                                                       long waitedMillis, boolean tokenRenewed) {
        return tokens.token()
                .thenCompose(token -> http.sendAsync(request(url, options, token), HttpResponse.BodyHandlers.ofByteArray()))
                .handle((response, error) -> error != null
                        ? onFailure(url, options, attempt, waitedMillis, tokenRenewed, unwrap(error))
                        : onResponse(url, options, attempt, waitedMillis, tokenRenewed, response))
                .thenCompose(f -> f);
    }

    private HttpRequest request(URI url, DeltaRequestOptions options, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).GET().timeout(requestTimeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        String prefer = options.preferHeader();
        if (!prefer.isEmpty()) {
            builder.header("Prefer", prefer);
        }
        return builder.build();
    }

    private CompletableFuture<DeltaPageResult> onResponse(URI url, DeltaRequestOptions options, int attempt,
                                                          long waitedMillis, boolean tokenRenewed,
                                                          HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 200) {
            try {
                return CompletableFuture.completedFuture(
                        parser.parse(url, response.body(), response.headers().firstValue("Date").orElse(null), attempt));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(failure("unreadable delta page from " + url + ": " + e.getMessage(),
                        response, attempt, e));
            }
        }
        ODataError error = ODataError.parse(mapper, response.body());
        if (status == 410 || (status == 400 && RESYNC_CODES.contains(error.code()))) {
            return CompletableFuture.completedFuture(new ResyncRequired(url, status, error.code(), error.message(),
                    response.headers().firstValue("Location").map(URI::create)));
        }
        if (status == 401 && !tokenRenewed) {
            // The cached token may have been revoked or expired early: one retry with a fresh one.
            tokens.invalidate();
            return attempt(url, options, attempt + 1, waitedMillis, true);
        }
        if (!RETRYABLE.contains(status)) {
            return CompletableFuture.failedFuture(failure("Graph answered " + status + " " + error.code() + ": "
                    + error.message(), response, attempt, null));
        }
        Optional<Duration> retryAfter = retryAfter(response);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(retry.maxRetryAfter()) > 0) {
            return CompletableFuture.failedFuture(failure("Graph asked to retry after " + retryAfter.get().toSeconds()
                    + " s, longer than this client waits in-line", response, attempt, null));
        }
        Duration wait = retryAfter.map(retry::honour).orElseGet(() -> retry.backoff(attempt));
        return retryLater(url, options, attempt, waitedMillis, tokenRenewed, wait,
                () -> failure("Graph answered " + status + " and retries are exhausted", response, attempt, null));
    }

    private CompletableFuture<DeltaPageResult> onFailure(URI url, DeltaRequestOptions options, int attempt,
                                                         long waitedMillis, boolean tokenRenewed, Throwable error) {
        if (error instanceof GraphRequestException graph) {
            return CompletableFuture.failedFuture(graph);
        }
        if (!(error instanceof IOException)) {
            return CompletableFuture.failedFuture(new GraphRequestException(
                    "request to " + url + " failed: " + error, 0, null, attempt, null, error));
        }
        // Dropped connections and timeouts on a GET are safe to repeat.
        return retryLater(url, options, attempt, waitedMillis, tokenRenewed, retry.backoff(attempt),
                () -> new GraphRequestException("request to " + url + " failed after " + attempt + " attempts: " + error,
                        0, null, attempt, null, error));
    }

    private CompletableFuture<DeltaPageResult> retryLater(URI url, DeltaRequestOptions options, int attempt,
                                                          long waitedMillis, boolean tokenRenewed, Duration wait,
                                                          java.util.function.Supplier<GraphRequestException> exhausted) {
        if (attempt >= retry.maxAttempts() || waitedMillis + wait.toMillis() > retry.maxTotalWait().toMillis()) {
            return CompletableFuture.failedFuture(exhausted.get());
        }
        LOG.log(System.Logger.Level.DEBUG, "retrying {0} in {1} ms (attempt {2})", url, wait.toMillis(), attempt + 1);
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
                .thenCompose(v -> attempt(url, options, attempt + 1, waitedMillis + wait.toMillis(), tokenRenewed));
    }

    /** Retry-After in delta-seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException e) {
            return DeltaPageParser.parseDate(value)
                    .map(at -> Duration.between(Instant.now(), at))
                    .map(d -> d.isNegative() ? Duration.ZERO : d);
        }
    }

    private GraphRequestException failure(String message, HttpResponse<byte[]> response, int attempts,
                                          Throwable cause) {
        ODataError error = cause == null ? ODataError.parse(mapper, response.body()) : ODataError.NONE;
        return new GraphRequestException(message, response.statusCode(), error.code(), attempts,
                response.headers().firstValue("request-id").orElse(null), cause);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Graph's {@code {"error":{"code":..,"message":..}}}, tolerant of bodies that are not. */
    record ODataError(String code, String message) {
        static final ODataError NONE = new ODataError(null, null);

        static ODataError parse(ObjectMapper mapper, byte[] body) {
            try {
                JsonNode error = mapper.readTree(body).path("error");
                return new ODataError(error.path("code").asText(null), error.path("message").asText(null));
            } catch (IOException | RuntimeException e) {
                return NONE;
            }
        }
    }
}
