package dev.idsync.emulator.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.emulator.authority.GraphAuthenticator;
import dev.idsync.emulator.authority.GraphCaller;
import dev.idsync.emulator.authority.GraphPermissions;
import dev.idsync.emulator.graph.GraphError;
import dev.idsync.emulator.graph.GraphMediaType;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Graph v1.0 {@code /subscriptions} for {@code users} and {@code groups}: create (after the validation
 * handshake with the notification URL), list, read, renew (PATCH {@code expirationDateTime}), delete and
 * reauthorize. The app needs read permission on the subscribed resource, as on Graph.
 */
@Path("/v1.0/subscriptions")
public class SubscriptionsResource {

    private static final Set<String> CHANGE_TYPES = Set.of("created", "updated", "deleted");
    private static final Set<String> ANY_READ = union(GraphPermissions.READ_USERS, GraphPermissions.READ_GROUPS);
    private static final int MAX_CLIENT_STATE = 128;

    private final GraphAuthenticator authenticator;
    private final SubscriptionStore store;
    private final NotificationDispatcher dispatcher;
    private final ObjectMapper json;
    private final Clock clock;

    SubscriptionsResource(GraphAuthenticator authenticator, SubscriptionStore store, NotificationDispatcher dispatcher,
                          ObjectMapper json, Clock clock) {
        this.authenticator = authenticator;
        this.store = store;
        this.dispatcher = dispatcher;
        this.json = json;
        this.clock = clock;
    }

    @POST
    public Response create(@Context HttpHeaders headers, byte[] body) {
        authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), ANY_READ);
        JsonNode request = parse(body);
        String resource = resource(text(request, "resource", true));
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                "users".equals(resource) ? GraphPermissions.READ_USERS : GraphPermissions.READ_GROUPS);
        Set<String> changeTypes = changeTypes(text(request, "changeType", true));
        String notificationUrl = url(caller, text(request, "notificationUrl", true), "notificationUrl");
        String lifecycleUrl = request.hasNonNull("lifecycleNotificationUrl")
                ? url(caller, text(request, "lifecycleNotificationUrl", true), "lifecycleNotificationUrl") : null;
        String clientState = text(request, "clientState", false);
        if (clientState != null && clientState.length() > MAX_CLIENT_STATE) {
            throw invalid("clientState can be at most " + MAX_CLIENT_STATE + " characters long.");
        }
        Instant expiration = expiration(caller, text(request, "expirationDateTime", true));
        if (!dispatcher.validate(caller.tenant().id(), notificationUrl)) {
            throw invalid("Subscription validation request failed. Notification endpoint must respond with 200 OK "
                    + "to validation request.");
        }
        if (lifecycleUrl != null && !lifecycleUrl.equals(notificationUrl)
                && !dispatcher.validate(caller.tenant().id(), lifecycleUrl)) {
            throw invalid("Subscription validation request failed. Lifecycle notification endpoint must respond with "
                    + "200 OK to validation request.");
        }
        Subscription subscription = new Subscription(UUID.randomUUID().toString(), caller.tenant().id(),
                caller.app().clientId(), resource, changeTypes, notificationUrl, lifecycleUrl, clientState, expiration);
        dispatcher.watch(caller.tenant());
        store.add(subscription);
        return Response.status(201).type(GraphMediaType.JSON).entity(subscription.json()).build();
    }

    @GET
    public Response list(@Context HttpHeaders headers) {
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), ANY_READ);
        List<Map<String, Object>> value = store.of(caller.tenant().id()).stream()
                .filter(s -> s.applicationId().equals(caller.app().clientId()))
                .filter(s -> s.expiration().isAfter(clock.instant()))
                .map(Subscription::json).toList();
        return Response.ok(Map.of("value", value)).type(GraphMediaType.JSON).build();
    }

    @GET
    @Path("{id}")
    public Response get(@Context HttpHeaders headers, @PathParam("id") String id) {
        return Response.ok(own(headers, id).json()).type(GraphMediaType.JSON).build();
    }

    /** Renewal: only {@code expirationDateTime} may change (Graph refuses other properties' changes too). */
    @PATCH
    @Path("{id}")
    public Response renew(@Context HttpHeaders headers, @PathParam("id") String id, byte[] body) {
        Subscription subscription = own(headers, id);
        JsonNode request = parse(body);
        request.fieldNames().forEachRemaining(name -> {
            if (!name.equals("expirationDateTime") && !name.equals("notificationUrl")) {
                throw invalid("Property '" + name + "' cannot be updated.");
            }
        });
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), ANY_READ);
        subscription.expiration(expiration(caller, text(request, "expirationDateTime", true)));
        return Response.ok(subscription.json()).type(GraphMediaType.JSON).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context HttpHeaders headers, @PathParam("id") String id) {
        Subscription subscription = own(headers, id);
        store.remove(subscription.tenantId(), id);
        return Response.noContent().build();
    }

    /** Graph's {@code reauthorize} action: answers a {@code reauthorizationRequired} lifecycle event. */
    @POST
    @Path("{id}/reauthorize")
    public Response reauthorize(@Context HttpHeaders headers, @PathParam("id") String id) {
        own(headers, id);
        return Response.noContent().build();
    }

    private Subscription own(HttpHeaders headers, String id) {
        GraphCaller caller = authenticator.authenticate(headers.getHeaderString(HttpHeaders.AUTHORIZATION), ANY_READ);
        return store.find(caller.tenant().id(), id)
                .filter(s -> s.applicationId().equals(caller.app().clientId()))
                .filter(s -> s.expiration().isAfter(clock.instant()))
                .orElseThrow(() -> new GraphError(404, "ResourceNotFound",
                        "The object was not found. Subscription '" + id + "' does not exist."));
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw invalid("The request body must be a JSON object.");
            }
            return node;
        } catch (IOException e) {
            throw invalid("Invalid JSON in the request body.");
        }
    }

    private static String text(JsonNode request, String field, boolean required) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid(field + " is a required property for subscription creation.");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("Property '" + field + "' must be a string.");
        }
        return value.asText();
    }

    private static String resource(String resource) {
        String r = resource.startsWith("/") ? resource.substring(1) : resource;
        r = r.toLowerCase(Locale.ROOT);
        if (!r.equals("users") && !r.equals("groups")) {
            throw invalid("Resource '" + resource + "' is not supported by this emulator; use 'users' or 'groups'.");
        }
        return r;
    }

    private static Set<String> changeTypes(String changeType) {
        Set<String> types = new LinkedHashSet<>();
        for (String part : changeType.split(",")) {
            String type = part.trim();
            if (!CHANGE_TYPES.contains(type)) {
                throw invalid("ChangeType '" + type + "' is not supported. Supported: created, updated, deleted.");
            }
            types.add(type);
        }
        return types;
    }

    private String url(GraphCaller caller, String url, String field) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalid("The " + field + " '" + url + "' is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean httpAllowed = store.settings(caller.tenant().id()).allowHttp();
        if (!scheme.equals("https") && !(httpAllowed && scheme.equals("http")) || uri.getHost() == null) {
            throw invalid("The " + field + " must be an absolute https URL.");
        }
        return url;
    }

    private Instant expiration(GraphCaller caller, String value) {
        Instant expiration;
        try {
            expiration = Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                expiration = java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw invalid("expirationDateTime '" + value + "' is not a valid date time.");
            }
        }
        Instant now = clock.instant();
        if (!expiration.isAfter(now)) {
            throw invalid("Subscription expiration date time must be in the future.");
        }
        Duration max = store.settings(caller.tenant().id()).maxLifetime();
        if (expiration.isAfter(now.plus(max))) {
            throw invalid("Subscription expiration can only be " + max.toMinutes() + " minutes in the future.");
        }
        return expiration;
    }

    private static GraphError invalid(String message) {
        return new GraphError(400, "InvalidRequest", message);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
