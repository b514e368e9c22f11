package dev.idsync.audit.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.api.ProblemException;
import dev.idsync.api.Roles;
import dev.idsync.audit.chain.ChainVerifier;
import dev.idsync.audit.chain.StoredEvent;
import dev.idsync.audit.chain.VerifyResult;
import dev.idsync.audit.query.AuditEventReader;
import dev.idsync.audit.query.AuditFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit's read side (role {@code idsync.reader}): query with cursor paging, export, chain verification. */
@Path("/api/audit")
@RolesAllowed(Roles.READER)
@Tag(name = "Audit", description = "The audit trail: query, export, hash-chain verification.")
public class AuditResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";

    private final AuditEventReader reader;
    private final ChainVerifier verifier;
    private final ObjectMapper mapper;

    AuditResource(AuditEventReader reader, ChainVerifier verifier, ObjectMapper mapper) {
        this.reader = reader;
        this.verifier = verifier;
        this.mapper = mapper;
    }

    @GET
    @Path("/events")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Query audit events", description = "Filter by tenant (required), object, type, actor, "
            + "run, topic and time (`from` inclusive, `to` exclusive, ISO-8601); cursor paging, `limit` 1..1000 (default "
            + "100), `next` is the cursor of the following page.")
    @APIResponse(responseCode = "200", description = "A page of events.")
    @APIResponse(responseCode = "400", description = "Bad Request: `tenant` missing, `from`/`to` not ISO-8601 or not in "
            + "order, `limit` out of range, or a bad `cursor`; `errors` names the parameter.")
    public AuditPage events(@QueryParam("tenant") String tenant, @QueryParam("objectId") String objectId,
            @QueryParam("type") String type, @QueryParam("actor") String actor, @QueryParam("runId") String runId,
            @QueryParam("topic") String topic, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        AuditFilter filter = filter(tenant, objectId, type, actor, runId, topic, from, to);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        }
        List<StoredEvent> rows = reader.page(filter, Cursor.seqOf(cursor), size);
        String next = rows.size() == size ? Cursor.after(rows.get(rows.size() - 1).seq()) : null;
        return new AuditPage(rows.stream().map(AuditEventView::of).toList(), next);
    }

    /**
     * Every matching row, streamed as NDJSON (default) or CSV while it is read from a database cursor:
     * memory stays flat however large the export.
     */
    @GET
    @Path("/export")
    @Produces({NDJSON, CSV})
    @Operation(summary = "Export audit events", description = "Every matching event, streamed as NDJSON (default) or "
            + "CSV (`format=csv`) from a database cursor.")
    @APIResponse(responseCode = "200", description = "The events (attachment).")
    @APIResponse(responseCode = "400", description = "Bad Request: `tenant` missing, `from`/`to` not ISO-8601 or not in "
            + "order, or `format` not ndjson or csv.")
    public Response export(@QueryParam("tenant") String tenant, @QueryParam("objectId") String objectId,
            @QueryParam("type") String type, @QueryParam("actor") String actor, @QueryParam("runId") String runId,
            @QueryParam("topic") String topic, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("format") String format) {
        AuditFilter filter = filter(tenant, objectId, type, actor, runId, topic, from, to);
        boolean csv;
        if (format == null || format.equals("ndjson")) {
            csv = false;
        } else if (format.equals("csv")) {
            csv = true;
        } else {
            throw ProblemException.badRequest("format", "must be ndjson or csv");
        }
        StreamingOutput body = output -> {
            OutputStream out = new BufferedOutputStream(output, 64 * 1024);
            try {
                if (csv) {
                    out.write(CsvRow.HEADER.getBytes(StandardCharsets.UTF_8));
                }
                reader.stream(filter, row -> {
                    AuditEventView view = AuditEventView.of(row);
                    if (csv) {
                        out.write(CsvRow.of(view).getBytes(StandardCharsets.UTF_8));
                    } else {
                        out.write(mapper.writeValueAsBytes(view));
                        out.write('\n');
                    }
                });
                out.flush();
            } catch (java.io.IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("export of the audit of " + tenant + " failed", e);
            }
        };
        String fileName = "audit-" + tenant.replaceAll("[^A-Za-z0-9._-]", "_") + (csv ? ".csv" : ".ndjson");
        return Response.ok(body, csv ? CSV + "; charset=utf-8" : NDJSON)
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the tenant's audit chain", description = "Recomputes the hash chain; the result "
            + "names the first broken link, if any.")
    @APIResponse(responseCode = "200", description = "The verification result.")
    @APIResponse(responseCode = "400", description = "Bad Request: `tenant` missing.")
    @APIResponse(responseCode = "404", description = "Not Found: no audit chain for the tenant.")
    public VerifyResult verify(@QueryParam("tenant") String tenant) {
        requireTenant(tenant);
        return verifier.verify(tenant)
                .orElseThrow(() -> ProblemException.notFound("no audit chain for tenant " + tenant));
    }

    private static AuditFilter filter(String tenant, String objectId, String type, String actor, String runId,
            String topic, String from, String to) {
        requireTenant(tenant);
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        return new AuditFilter(tenant, blankToNull(objectId), blankToNull(type), blankToNull(actor),
                blankToNull(runId), blankToNull(topic), fromTime, toTime);
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw ProblemException.badRequest("tenant", "required");
        }
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "not an ISO-8601 instant such as 2026-11-23T10:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
