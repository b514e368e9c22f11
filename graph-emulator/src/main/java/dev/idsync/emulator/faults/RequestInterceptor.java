package dev.idsync.emulator.faults;

import dev.idsync.emulator.graph.GraphErrorBody;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs first on both servers: stamps Graph's response headers ({@code Date}, {@code request-id},
 * {@code client-request-id}) on every response, records Graph and authority requests in the
 * {@link RequestLog}, and injects the configured faults. The emulator's own control API and Quarkus'
 * /q endpoints are never faulted or logged, so a test can always reach them.
 */
@ApplicationScoped
public class RequestInterceptor implements Handler<RoutingContext> {

    public static final String REQUEST_ID_KEY = "idsync.emulator.request-id";
    public static final String CLIENT_REQUEST_ID_KEY = "idsync.emulator.client-request-id";

    private final FaultRegistry faults;
    private final RequestLog log;
    private final Clock clock;

    public RequestInterceptor(FaultRegistry faults, RequestLog log, Clock clock) {
        this.faults = faults;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String requestId = UUID.randomUUID().toString();
        String clientRequestId = Optional.ofNullable(request.getHeader("client-request-id")).orElse(requestId);
        ctx.put(REQUEST_ID_KEY, requestId);
        ctx.put(CLIENT_REQUEST_ID_KEY, clientRequestId);
        ctx.addHeadersEndHandler(v -> {
            if (!response.headers().contains("Date")) {
                response.putHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atZone(ZoneOffset.UTC)));
            }
            if (!response.headers().contains("request-id")) {
                response.putHeader("request-id", requestId);
                response.putHeader("client-request-id", clientRequestId);
            }
        });
        String path = request.path();
        if (path.startsWith("/_emulator") || path.startsWith("/q/") || path.equals("/q")) {
            ctx.next();
            return;
        }
        RequestLog.Entry entry = log.start(clock.instant(), request.isSSL() ? "https" : "http",
                request.method().name(), path, request.query(), headersOf(request));
        ctx.put(RequestLog.ENTRY_KEY, entry);
        ctx.addEndHandler(ar -> entry.status = response.getStatusCode());

        Optional<ActiveFault> fault = faults.match(request.method().name(), path);
        if (fault.isEmpty()) {
            ctx.next();
            return;
        }
        FaultSpec spec = fault.get().spec();
        entry.fault = fault.get().id();
        switch (spec.type()) {
            case LATENCY -> ctx.vertx().setTimer(Math.max(1, spec.latencyMillis()), t -> ctx.next());
            case DROP_CONNECTION -> {
                entry.status = 0;
                request.connection().close();
            }
            case THROTTLE -> fail(ctx, 429, "TooManyRequests", "Too many requests. Please retry again later.",
                    spec.retryAfterSeconds(), requestId, clientRequestId);
            case UNAVAILABLE -> fail(ctx, 503, "serviceNotAvailable", "Service is temporarily unavailable. Please retry later.",
                    spec.retryAfterSeconds(), requestId, clientRequestId);
        }
    }

    private void fail(RoutingContext ctx, int status, String code, String message, Integer retryAfter,
                      String requestId, String clientRequestId) {
        HttpServerResponse response = ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json");
        if (retryAfter != null) {
            response.putHeader("Retry-After", Integer.toString(retryAfter));
        }
        response.end(GraphErrorBody.json(code, message, requestId, clientRequestId, clock.instant()));
    }

    private static Map<String, String> headersOf(HttpServerRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = name.equals("authorization") ? redact(h.getValue()) : h.getValue();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        });
        return headers;
    }

    private static String redact(String authorization) {
        int space = authorization.indexOf(' ');
        return (space > 0 ? authorization.substring(0, space) : "") + " [redacted]";
    }
}
