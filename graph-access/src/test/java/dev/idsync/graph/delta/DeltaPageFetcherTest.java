package dev.idsync.graph.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.idsync.graph.GraphRequestException;
import dev.idsync.graph.RetryPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the pager against a scripted local HTTP server (the behaviours shared with Graph are
 * tested against the emulator in graph-emulator's test suite).
 */
class DeltaPageFetcherTest {

    private record Scripted(int status, String body, String... headers) {
    }

    private HttpServer server;
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final List<String> authorizations = new ArrayList<>();
    private final AtomicInteger tokenNumber = new AtomicInteger(1);
    private final AtomicInteger invalidations = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::respond);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void respond(HttpExchange exchange) throws IOException {
        authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        Scripted next = script.isEmpty() ? new Scripted(500, "{}") : script.removeFirst();
        for (int i = 0; i < next.headers().length; i += 2) {
            exchange.getResponseHeaders().add(next.headers()[i], next.headers()[i + 1]);
        }
        byte[] body = next.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(next.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private DeltaPageFetcher fetcher(RetryPolicy policy) {
        AccessTokenSource tokens = new AccessTokenSource() {
            @Override
            public CompletableFuture<String> token() {
                return CompletableFuture.completedFuture("t" + tokenNumber.get());
            }

            @Override
            public void invalidate() {
                invalidations.incrementAndGet();
                tokenNumber.incrementAndGet();
            }
        };
        return new DeltaPageFetcher(HttpClient.newHttpClient(), tokens, policy, Duration.ofSeconds(10), new ObjectMapper());
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0/users/delta");
    }

    private static final String PAGE = "{\"value\":[{\"id\":\"u1\",\"displayName\":\"A\"}],"
            + "\"@odata.deltaLink\":\"http://x/v1.0/users/delta?$deltatoken=abc\"}";

    @Test
    void aRejectedTokenIsRenewedOnceAndTheRequestRepeated() {
        script.add(new Scripted(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"expired\"}}"));
        script.add(new Scripted(200, PAGE));

        DeltaPageResult result = fetcher(RetryPolicy.defaults()).fetch(url(), DeltaRequestOptions.defaults());

        assertThat(result).isInstanceOf(DeltaPage.class);
        assertThat(invalidations).hasValue(1);
        assertThat(authorizations).containsExactly("Bearer t1", "Bearer t2");
    }

    @Test
    void aSecond401IsAFailureNotALoop() {
        script.add(new Scripted(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"no\"}}"));
        script.add(new Scripted(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"no\"}}"));

        assertThatThrownBy(() -> fetcher(RetryPolicy.defaults()).fetch(url(), DeltaRequestOptions.defaults()))
                .isInstanceOfSatisfying(GraphRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.errorCode()).contains("InvalidAuthenticationToken");
                    assertThat(e.isTransient()).isFalse();
                });
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        script.add(new Scripted(503, "{}", "Retry-After", inTwoSeconds));
        script.add(new Scripted(200, PAGE));

        long started = System.nanoTime();
        DeltaPageResult result = fetcher(RetryPolicy.defaults()).fetch(url(), DeltaRequestOptions.defaults());

        assertThat(result).isInstanceOf(DeltaPage.class);
        // An HTTP date has one-second resolution: the wait is at least one full second.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waitingForRetryAfterOccupiesNoThread() {
        script.add(new Scripted(429, "{}", "Retry-After", "1"));
        script.add(new Scripted(200, PAGE));

        CompletableFuture<DeltaPageResult> future = fetcher(RetryPolicy.defaults()).fetchAsync(url(), DeltaRequestOptions.defaults());

        assertThat(future).isNotDone();
        assertThat(future.join()).isInstanceOf(DeltaPage.class);
    }

    @Test
    void aNonRetryableErrorFailsAtOnceWithGraphsCode() {
        script.add(new Scripted(403, "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}",
                "request-id", "req-1"));

        assertThatThrownBy(() -> fetcher(RetryPolicy.defaults()).fetch(url(), DeltaRequestOptions.defaults()))
                .isInstanceOfSatisfying(GraphRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.errorCode()).contains("Authorization_RequestDenied");
                    assertThat(e.requestId()).contains("req-1");
                    assertThat(e.attempts()).isEqualTo(1);
                });
    }

    @Test
    void preferencesAreSentAsOnePreferHeader() {
        List<String> prefer = new ArrayList<>();
        server.removeContext("/");
        server.createContext("/", exchange -> {
            prefer.add(exchange.getRequestHeaders().getFirst("Prefer"));
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        fetcher(RetryPolicy.defaults()).fetch(url(), new DeltaRequestOptions(150, true));

        assertThat(prefer).containsExactly("odata.maxpagesize=150, return=minimal");
    }

    @Test
    void initialAndLatestQueriesAreBuiltFromTheGraphBaseUrl() {
        URI base = URI.create("http://localhost:8090/v1.0");
        assertThat(DeltaQuery.initial(base, DeltaResource.GROUPS, List.of("displayName", "members")))
                .hasToString("http://localhost:8090/v1.0/groups/delta?$select=displayName,members");
        assertThat(DeltaQuery.latest(base, DeltaResource.USERS, List.of()))
                .hasToString("http://localhost:8090/v1.0/users/delta?$deltatoken=latest");
    }
}
