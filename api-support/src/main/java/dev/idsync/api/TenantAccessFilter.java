package dev.idsync.api;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Tenant isolation for every idsync API, in one place: a request that names a tenant (path parameter
 * {@code tenant} or {@code tenantId}, or query parameter {@code tenant}) is refused with 403 problem+json
 * naming the tenant unless the token's {@link TenantScope} holds it. It runs before the body is read and
 * the method is invoked, so a refused request writes nothing; because it keys on the parameter names, a new
 * endpoint cannot forget it.
 * <p>
 * Not checked: {@code @PermitAll} endpoints (login-sync: the user's own ID token is validated against the
 * tenant's issuer, which binds it to that tenant) and anonymous requests (the role check answers those 401).
 */
public class TenantAccessFilter {

    /** Where idsync's APIs name the tenant they act on. */
    static final List<String> PATH_PARAMETERS = List.of("tenant", "tenantId");
    static final String QUERY_PARAMETER = "tenant";

    private final CurrentIdentityAssociation identities;
    private final ApiConfig config;

    TenantAccessFilter(CurrentIdentityAssociation identities, ApiConfig config) {
        this.identities = identities;
        this.config = config;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 10)
    public Uni<Response> check(ContainerRequestContext request, SimpleResourceInfo resource) {
        List<Map.Entry<String, String>> named = tenantsOf(request);
        if (named.isEmpty() || permitAll(resource)) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.isAnonymous()) {
                return null;
            }
            TenantScope scope = scopeOf(identity);
            return named.stream().filter(n -> !scope.allows(n.getValue())).findFirst()
                    .map(n -> Problem.of(403, "Forbidden", "the token does not grant tenant '" + n.getValue() + "'",
                            List.of(new FieldError(n.getKey(), "tenant '" + n.getValue()
                                    + "' is not among the tenants the token may act on"))).toResponse())
                    .orElse(null);
        });
    }

    private TenantScope scopeOf(SecurityIdentity identity) {
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(config.tenants().claim()) : null;
        return TenantScope.of(claim, identity.getRoles(), config.tenants());
    }

    /** Every tenant the request names: a repeated {@code ?tenant=} must not pass on its first value alone. */
    private static List<Map.Entry<String, String>> tenantsOf(ContainerRequestContext request) {
        List<Map.Entry<String, String>> named = new ArrayList<>();
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        for (String name : PATH_PARAMETERS) {
            List<String> values = path.get(name);
            if (values != null) {
                values.forEach(value -> named.add(Map.entry(name, value)));
            }
        }
        List<String> query = request.getUriInfo().getQueryParameters().get(QUERY_PARAMETER);
        if (query != null) {
            query.stream().filter(value -> value != null && !value.isBlank())
                    .forEach(value -> named.add(Map.entry(QUERY_PARAMETER, value)));
        }
        return named;
    }

    /** {@code @PermitAll} on the method, or on the class without a role annotation on the method (Jakarta's rule). */
    private static boolean permitAll(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return false;
        }
        Method method;
        try {
            method = resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
        } catch (NoSuchMethodException e) {
            return false;
        }
        if (method.isAnnotationPresent(PermitAll.class)) {
            return true;
        }
        return resource.getResourceClass().isAnnotationPresent(PermitAll.class)
                && !method.isAnnotationPresent(RolesAllowed.class) && !method.isAnnotationPresent(DenyAll.class);
    }
}
