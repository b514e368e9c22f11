package dev.idsync.emulator.delta;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.idsync.emulator.directory.DirectoryObject;
import dev.idsync.emulator.directory.ObjectKind;
import dev.idsync.emulator.directory.SortedIntSet;
import dev.idsync.emulator.directory.Tenant;
import dev.idsync.emulator.graph.DirectoryObjectJson;
import dev.idsync.emulator.graph.GraphError;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Serves {@code users/delta}, {@code groups/delta} and {@code directoryRoles/delta} pages.
 *
 * <p>An initial round walks the objects in ordinal order up to the ordinal bound fixed when the round
 * began, reading current values under the tenant's read lock; objects created later belong to the next
 * round. A follow-up round replays the change log window (token, start of round] into a {@link ChangePlan}.
 * Either way a page is built from live tenant state without copying the tenant, and the client holds the
 * whole position in its token.
 */
@ApplicationScoped
public class DeltaPageService {

    private final Clock clock;
    private final MeterRegistry meters;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final int maxMemberLinksPerPage;
    private final ChangePlanCache planCache = new ChangePlanCache(64);

    public DeltaPageService(Clock clock, MeterRegistry meters,
                            @ConfigProperty(name = "idsync.emulator.delta.default-page-size", defaultValue = "100") int defaultPageSize,
                            @ConfigProperty(name = "idsync.emulator.delta.max-page-size", defaultValue = "200") int maxPageSize,
                            @ConfigProperty(name = "idsync.emulator.delta.max-member-links-per-page", defaultValue = "500") int maxMemberLinksPerPage) {
        this.clock = clock;
        this.meters = meters;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
        this.maxMemberLinksPerPage = maxMemberLinksPerPage;
    }

    public DeltaResult serve(Tenant tenant, ObjectKind kind, DeltaRequest request, String baseUrl) {
        long now = clock.millis();
        DeltaCursor cursor;
        if (request.skipToken() != null) {
            cursor = decode(request.skipToken(), "$skiptoken");
            if (cursor.phase() == DeltaPhase.DELTA) {
                throw GraphError.badRequest("Invalid value specified for '$skiptoken'.");
            }
        } else if (request.deltaToken() != null) {
            if (request.deltaToken().equalsIgnoreCase("latest")) {
                return latest(tenant, kind, request, baseUrl, now);
            }
            cursor = decode(request.deltaToken(), "$deltatoken");
            if (cursor.phase() != DeltaPhase.DELTA) {
                throw GraphError.badRequest("Invalid value specified for '$deltatoken'.");
            }
        } else {
            SelectClause select = SelectClause.parse(kind, request.select());
            int pageSize = pageSize(request, 0);
            cursor = tenant.withReadLock(() -> DeltaCursor.initialRound(tenant.id(), kind, tenant.generation(kind), now,
                    select.mask(), select.members(), tenant.lastSequence(), tenant.ordinalBound(), pageSize));
        }
        if (!cursor.tenantId().equalsIgnoreCase(tenant.id()) || cursor.kind() != kind) {
            throw GraphError.badRequest("The delta token was issued for a different tenant or resource.");
        }
        String freshQuery = baseUrl + "v1.0/" + kind.entitySet() + "/delta?$select="
                + new SelectClause(cursor.selectMask(), cursor.members()).render(kind);
        if (cursor.generation() != tenant.generation(kind)) {
            return new DeltaResult.Expired(tenant.invalidationResponse(kind), freshQuery);
        }
        if (now - cursor.issuedAtMillis() > tenant.settings().deltaTokenTtl().toMillis()) {
            return new DeltaResult.Expired(tenant.settings().expiredTokenResponse(), freshQuery);
        }
        if (cursor.phase() == DeltaPhase.DELTA) {
            DeltaCursor token = cursor;
            cursor = tenant.withReadLock(() -> DeltaCursor.changesRound(tenant.id(), kind, token.generation(), now,
                    token.selectMask(), token.members(), token.fromSeq(), tenant.lastSequence(), token.pageSize()));
        }
        int pageSize = pageSize(request, cursor.pageSize());
        boolean minimal = request.returnMinimal() && cursor.phase() == DeltaPhase.CHANGES;
        DeltaCursor round = cursor;
        byte[] body = tenant.withReadLock(() -> buildPage(tenant, round, pageSize, minimal, baseUrl, now));
        meters.counter("emulator.delta.pages", "resource", kind.entitySet(),
                "round", round.phase() == DeltaPhase.INITIAL ? "initial" : "changes").increment();
        return new DeltaResult.Page(body, request.preferredPageSize() == null ? null : pageSize, minimal);
    }

    private DeltaResult latest(Tenant tenant, ObjectKind kind, DeltaRequest request, String baseUrl, long now) {
        SelectClause select = SelectClause.parse(kind, request.select());
        DeltaCursor token = tenant.withReadLock(() -> DeltaCursor.deltaToken(tenant.id(), kind, tenant.generation(kind),
                now, select.mask(), select.members(), tenant.lastSequence(), pageSize(request, 0)));
        return new DeltaResult.Page(write(baseUrl, kind, g -> { }, null, deltaLink(baseUrl, kind, token)), null, false);
    }

    private byte[] buildPage(Tenant tenant, DeltaCursor cursor, int pageSize, boolean minimal, String baseUrl, long now) {
        ObjectKind kind = cursor.kind();
        int emptyEvery = tenant.settings().emptyPageEvery();
        if (emptyEvery > 1 && (cursor.pageNumber() + 1) % emptyEvery == 0) {
            // Graph may send an empty page that still has a nextLink; clients must keep following.
            return write(baseUrl, kind, g -> { }, nextLink(baseUrl, kind, cursor.skippedPage()), null);
        }
        DeltaCursor[] next = new DeltaCursor[1];
        byte[] body = write(baseUrl, kind, g -> next[0] = cursor.phase() == DeltaPhase.INITIAL
                ? writeInitialItems(g, tenant, cursor, pageSize)
                : writeChangeItems(g, tenant, cursor, pageSize, minimal), null, null);
        if (next[0] != null) {
            return appendLink(body, "@odata.nextLink", nextLink(baseUrl, kind, next[0]));
        }
        // An initial round's toSeq is where it began; a follow-up round's is its last sequence.
        long fromSeq = cursor.toSeq();
        DeltaCursor token = DeltaCursor.deltaToken(tenant.id(), kind, cursor.generation(), now, cursor.selectMask(),
                cursor.members(), fromSeq, cursor.pageSize());
        return appendLink(body, "@odata.deltaLink", deltaLink(baseUrl, kind, token));
    }

    /** @return the cursor of the next page, or null when the round is complete */
    private DeltaCursor writeInitialItems(JsonGenerator g, Tenant tenant, DeltaCursor c, int pageSize) throws IOException {
        SortedIntSet ordinals = tenant.ordinals(c.kind());
        int items = 0;
        int links = 0;
        int scanned = 0;
        // Bounded scan: a stretch of deleted objects yields a short (even empty) page, never a slow one.
        int scanLimit = pageSize * 20;
        int after = c.after();
        if (c.pending() >= 0) {
            DirectoryObject group = tenant.byOrdinal(c.pending());
            if (group.isActive() && c.members()) {
                SortedIntSet members = group.members();
                int start = members.indexAfter(c.memberAfter());
                int n = Math.min(maxMemberLinksPerPage, members.size() - start);
                g.writeStartObject();
                g.writeStringField("id", group.id());
                writeMemberRange(g, tenant, members, start, n);
                g.writeEndObject();
                if (start + n < members.size()) {
                    return c.nextInitialPage(after, c.pending(), members.get(start + n - 1));
                }
                items++;
                links += n;
            }
            after = c.pending();
        }
        int idx = ordinals.indexAfter(after);
        while (idx < ordinals.size() && ordinals.get(idx) < c.bound()) {
            if (items >= pageSize || links >= maxMemberLinksPerPage || scanned >= scanLimit) {
                return c.nextInitialPage(after, -1, -1);
            }
            int ordinal = ordinals.get(idx);
            scanned++;
            DirectoryObject object = tenant.byOrdinal(ordinal);
            if (object.isActive()) {
                g.writeStartObject();
                // The full representation: every selected property, null where the object has no value.
                DirectoryObjectJson.writeProperties(g, object, c.selectMask(), c.selectMask());
                items++;
                if (c.members() && object.members() != null) {
                    SortedIntSet members = object.members();
                    int n = Math.min(maxMemberLinksPerPage - links, members.size());
                    writeMemberRange(g, tenant, members, 0, n);
                    links += n;
                    if (n < members.size()) {
                        g.writeEndObject();
                        return c.nextInitialPage(after, ordinal, members.get(n - 1));
                    }
                }
                g.writeEndObject();
            }
            after = ordinal;
            idx++;
        }
        return null;
    }

    private DeltaCursor writeChangeItems(JsonGenerator g, Tenant tenant, DeltaCursor c, int pageSize, boolean minimal)
            throws IOException {
        ChangePlan plan = planCache.get(
                new ChangePlanCache.Key(tenant.id(), c.generation(), c.kind(), c.fromSeq(), c.toSeq(), c.selectMask(),
                        c.members()),
                () -> ChangePlanner.plan(tenant, c.kind(), c.fromSeq(), c.toSeq(), c.selectMask(), c.members()));
        int items = 0;
        int links = 0;
        int position = c.position();
        int memberPosition = c.memberPosition();
        while (position < plan.changes().size()) {
            if (items >= pageSize || links >= maxMemberLinksPerPage) {
                return c.nextChangesPage(position, memberPosition);
            }
            PlannedChange change = plan.changes().get(position);
            DirectoryObject object = tenant.byOrdinal(change.ordinal());
            g.writeStartObject();
            if (memberPosition > 0) {
                g.writeStringField("id", object.id());
            } else if (change.type() != PlannedChange.Type.UPSERT) {
                g.writeStringField("id", object.id());
                g.writeObjectFieldStart("@removed");
                g.writeStringField("reason", change.type() == PlannedChange.Type.REMOVED_SOFT ? "changed" : "deleted");
                g.writeEndObject();
            } else if (change.full()) {
                DirectoryObjectJson.writeProperties(g, object, c.selectMask(), c.selectMask());
            } else if (minimal || tenant.settings().answersUpdateMinimal(object.id(), c.toSeq())) {
                // Asked for, or Graph's "at least the updated properties" taken literally (a tenant setting).
                DirectoryObjectJson.writeProperties(g, object, change.changedMask(), change.changedMask());
            } else {
                DirectoryObjectJson.writeProperties(g, object, c.selectMask(), c.selectMask());
            }
            items++;
            boolean reportMembers = c.members() && change.type() == PlannedChange.Type.UPSERT
                    && (change.full() || change.memberChangeCount() > 0);
            if (reportMembers) {
                int total = change.memberChangeCount();
                int n = Math.min(maxMemberLinksPerPage - links, total - memberPosition);
                g.writeArrayFieldStart("members@delta");
                for (int i = memberPosition; i < memberPosition + n; i++) {
                    boolean removal = i >= change.memberAdds().length;
                    int memberOrdinal = removal ? change.memberRemoves()[i - change.memberAdds().length]
                            : change.memberAdds()[i];
                    DirectoryObjectJson.writeReference(g, tenant.byOrdinal(memberOrdinal), removal);
                }
                g.writeEndArray();
                links += n;
                g.writeEndObject();
                if (memberPosition + n < total) {
                    return c.nextChangesPage(position, memberPosition + n);
                }
            } else {
                g.writeEndObject();
            }
            position++;
            memberPosition = 0;
        }
        return null;
    }

    private static void writeMemberRange(JsonGenerator g, Tenant tenant, SortedIntSet members, int start, int count)
            throws IOException {
        g.writeArrayFieldStart("members@delta");
        for (int i = start; i < start + count; i++) {
            DirectoryObjectJson.writeReference(g, tenant.byOrdinal(members.get(i)), false);
        }
        g.writeEndArray();
    }

    @FunctionalInterface
    private interface ItemWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(String baseUrl, ObjectKind kind, ItemWriter items, String nextLink, String deltaLink) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (JsonGenerator g = DirectoryObjectJson.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", baseUrl + "v1.0/$metadata#" + kind.entitySet());
            g.writeArrayFieldStart("value");
            items.write(g);
            g.writeEndArray();
            if (nextLink != null) {
                g.writeStringField("@odata.nextLink", nextLink);
            }
            if (deltaLink != null) {
                g.writeStringField("@odata.deltaLink", deltaLink);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Appends the link as the last field: the body was written before the page knew whether it was the last. */
    private static byte[] appendLink(byte[] body, String field, String link) {
        byte[] tail = (",\"" + field + "\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(link)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(body, body.length - 1 + tail.length);
        System.arraycopy(tail, 0, out, body.length - 1, tail.length);
        return out;
    }

    private static String nextLink(String baseUrl, ObjectKind kind, DeltaCursor cursor) {
        return baseUrl + "v1.0/" + kind.entitySet() + "/delta?$skiptoken=" + DeltaCursorCodec.encode(cursor);
    }

    private static String deltaLink(String baseUrl, ObjectKind kind, DeltaCursor token) {
        return baseUrl + "v1.0/" + kind.entitySet() + "/delta?$deltatoken=" + DeltaCursorCodec.encode(token);
    }

    private int pageSize(DeltaRequest request, int fromCursor) {
        int requested = request.preferredPageSize() != null ? request.preferredPageSize()
                : fromCursor > 0 ? fromCursor : defaultPageSize;
        return Math.max(1, Math.min(requested, maxPageSize));
    }

    private static DeltaCursor decode(String token, String parameter) {
        try {
            return DeltaCursorCodec.decode(token.trim());
        } catch (IllegalArgumentException e) {
            throw GraphError.badRequest("Invalid value specified for '" + parameter.toLowerCase(Locale.ROOT) + "'.");
        }
    }
}
