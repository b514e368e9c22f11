package dev.idsync.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.systemtests.stack.EmulatorTenant;
import dev.idsync.systemtests.stack.ScenarioTenant;
import dev.idsync.systemtests.stack.Stack;
import dev.idsync.systemtests.stack.SyncRuns;
import dev.idsync.systemtests.stack.Tokens;
import dev.idsync.systemtests.trace.OtlpReceiver;
import dev.idsync.systemtests.trace.OtlpReceiver.ReceivedSpan;
import dev.idsync.systemtests.trace.TraceDump;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 21's must-show for traces and logs, on the shared stack (every service exports to the in-test OTLP
 * receiver and logs JSON, see {@link Stack}): one delta run is one trace from the admin's HTTP call through
 * the poller's Graph pages, the Kafka records and delta-processor's batch to role-mapper's batch (via the
 * outbox); and the logs of every service, after all scenarios before this one, are JSON lines with tenant,
 * run and record position and hold neither the client secret nor a bearer token.
 */
@Order(21)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceAndJsonLogsAcrossServicesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("graph-poller", "delta-processor", "role-mapper", "profile-writer",
            "audit-log");
    /** A JWT (header.payload...) anywhere, and an Authorization value: what a leaked bearer token looks like. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/-]{8,}");

    private static String runId;

    @Test
    @Order(1)
    void a_delta_run_is_one_trace_from_the_admin_call_through_poller_processor_and_role_mapper() {
        Stack stack = Stack.get();
        EmulatorTenant tenant = EmulatorTenant.create(stack, ScenarioTenant.TRACE);
        tenant.seed(40, 4, 60, 2);
        JsonNode run = new SyncRuns(stack, new Tokens(stack)).runToCompletion(tenant.id(), "{}", Duration.ofMinutes(2));
        runId = run.path("runId").asText();
        OtlpReceiver traces = stack.traces();

        ReceivedSpan runSpan = Awaitility.await("the poller's span of run " + runId).atMost(Duration.ofSeconds(30))
                .until(() -> traces.spans().stream().filter(s -> s.service().equals("graph-poller")
                        && runId.equals(s.attributes().get("idsync.run_id"))).findFirst(), Optional::isPresent).get();
        String traceId = runSpan.traceId();
        // The processor applies the run's pages and role-mapper what the processor's outbox published from them.
        List<ReceivedSpan> trace = Awaitility.await("delta-processor and role-mapper spans in trace " + traceId)
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> traces.trace(traceId), spans -> has(spans, "delta-processor", "process idsync.graph.observations.v1")
                        && has(spans, "role-mapper", "process idsync.directory."));

        System.out.println("TRACE of run " + runId + " (" + trace.size() + " spans), service / span / duration:\n"
                + TraceDump.indented(trace));
        assertThat(runSpan.name()).isEqualTo("sync run delta");
        // Started by the admin's HTTP call: the run's span is a child of the poller's server span of the POST.
        assertThat(trace).anySatisfy(s -> {
            assertThat(s.service()).isEqualTo("graph-poller");
            assertThat(s.kind()).isEqualTo("SERVER");
            assertThat(s.spanId()).isEqualTo(runSpan.parentSpanId());
        });
        assertThat(trace).filteredOn(s -> s.name().startsWith("graph page ")).isNotEmpty()
                .allSatisfy(page -> assertThat(page.parentSpanId()).isEqualTo(runSpan.spanId()));
        Map<String, ReceivedSpan> byId = new LinkedHashMap<>();
        trace.forEach(s -> byId.put(s.spanId(), s));
        // The processor's batch continues a poller span (its first record's traceparent) ...
        assertThat(trace).filteredOn(s -> s.service().equals("delta-processor") && s.kind().equals("CONSUMER"))
                .anySatisfy(s -> assertThat(byId.get(s.parentSpanId()).service()).isEqualTo("graph-poller"));
        // ... and role-mapper's continues the processor's batch that wrote the outbox row.
        assertThat(trace).filteredOn(s -> s.service().equals("role-mapper") && s.kind().equals("CONSUMER"))
                .anySatisfy(s -> assertThat(byId.get(s.parentSpanId()).service()).isEqualTo("delta-processor"));
    }

    @Test
    @Order(2)
    void every_service_logs_json_lines_with_tenant_run_and_record_position_and_no_secret_or_bearer_token()
            throws IOException {
        Stack stack = Stack.get();
        Tokens tokens = new Tokens(stack);
        List<String> secrets = List.of(Stack.CLIENT_SECRET, tokens.admin(), tokens.writer(), tokens.reader());
        Map<String, String> sample = new LinkedHashMap<>();
        List<String> leaks = new ArrayList<>();
        long lines = 0;
        try (Stream<Path> logs = Files.list(stack.logDirectory())) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String service = log.getFileName().toString().replaceFirst("(-\\d+)?\\.log$", "");
                for (String line : Files.readAllLines(log)) {
                    lines++;
                    if (secrets.stream().anyMatch(line::contains) || JWT.matcher(line).find() || BEARER.matcher(line).find()) {
                        leaks.add(log.getFileName() + ": " + line);
                    }
                    if (line.startsWith("{") && SERVICES.contains(service)) {
                        JsonNode json = JSON.readTree(line);
                        assertThat(json.has("message") && json.has("level") && json.has("loggerName"))
                                .as("a JSON log line of %s: %s", service, line).isTrue();
                        if (best(json, sample.get(service))) {
                            sample.put(service, line);
                        }
                    }
                }
            }
        }
        assertThat(leaks).as("log lines with the client secret, a token or a bearer header (of %d lines)", lines).isEmpty();
        assertThat(sample.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        sample.forEach((service, line) -> System.out.println("JSON LOG " + service + ": " + line));
        JsonNode poller = JSON.readTree(sample.get("graph-poller"));
        assertThat(poller.path("mdc").path("tenant").asText()).isNotBlank();
        assertThat(poller.path("mdc").path("runId").asText()).isNotBlank();
    }

    private static boolean has(List<ReceivedSpan> spans, String service, String namePrefix) {
        return spans.stream().anyMatch(s -> s.service().equals(service) && s.name().startsWith(namePrefix));
    }

    /** The most telling line: one naming this test's run, else one with the most MDC fields. */
    private static boolean best(JsonNode candidate, String current) throws IOException {
        if (current == null) {
            return true;
        }
        JsonNode held = JSON.readTree(current);
        boolean candidateOurs = runId != null && runId.equals(candidate.path("mdc").path("runId").asText());
        boolean heldOurs = runId != null && runId.equals(held.path("mdc").path("runId").asText());
        if (candidateOurs != heldOurs) {
            return candidateOurs;
        }
        return candidate.path("mdc").size() > held.path("mdc").size();
    }
}
