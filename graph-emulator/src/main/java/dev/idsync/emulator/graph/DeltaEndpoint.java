package dev.idsync.emulator.graph;

import dev.idsync.emulator.authority.GraphAuthenticator;
import dev.idsync.emulator.authority.GraphCaller;
import dev.idsync.emulator.delta.DeltaPageService;
import dev.idsync.emulator.delta.DeltaRequest;
import dev.idsync.emulator.delta.DeltaResult;
import dev.idsync.emulator.directory.ExpiredTokenResponse;
import dev.idsync.emulator.directory.ObjectKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The HTTP side of the three delta functions: authentication, Prefer handling and Graph's expiry answers. */
@ApplicationScoped
public class DeltaEndpoint {

    private final GraphAuthenticator authenticator;
    private final DeltaPageService pages;

    public DeltaEndpoint(GraphAuthenticator authenticator, DeltaPageService pages) {
        this.authenticator = authenticator;
        this.pages = pages;
    }

    public Response serve(ObjectKind kind, Set<String> permissions, HttpHeaders headers, UriInfo uri, String select,
                          String deltaToken, String skipToken) {
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), permissions);
        PreferHeader prefer = PreferHeader.parse(headers.getRequestHeader("Prefer"));
        DeltaRequest request = new DeltaRequest(select, deltaToken, skipToken, prefer.maxPageSize(), prefer.returnMinimal());
        DeltaResult result = pages.serve(caller.tenant(), kind, request, uri.getBaseUri().toString());
        if (result instanceof DeltaResult.Expired expired) {
            if (expired.form() == ExpiredTokenResponse.GONE) {
                throw new GraphError(410, "resyncRequired", "Resync required. The delta token is no longer valid; "
                        + "start a new initial synchronization with the request in the Location header.",
                        Map.of("Location", expired.freshQuery()));
            }
            throw new GraphError(400, "syncStateNotFound",
                    "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
        }
        DeltaResult.Page page = (DeltaResult.Page) result;
        Response.ResponseBuilder response = Response.ok(page.body(), GraphMediaType.JSON);
        List<String> applied = new ArrayList<>();
        if (page.appliedPageSize() != null) {
            applied.add("odata.maxpagesize=" + page.appliedPageSize());
        }
        if (page.minimalApplied()) {
            applied.add("return=minimal");
        }
        if (!applied.isEmpty()) {
            response.header("Preference-Applied", String.join(",", applied));
        }
        return response.build();
    }
}
