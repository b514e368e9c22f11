package dev.idsync.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * The part of every idsync OpenAPI document that no resource should have to repeat, derived from what
 * the code enforces so it cannot drift (registered as {@code mp.openapi.filter} by api-support):
 * <ul>
 *   <li>the roles of each operation: Quarkus turns {@code @RolesAllowed} into the operation's security
 *       requirement on the bearer scheme; this filter names them again as {@code x-idsync-roles} and in the
 *       description, and an operation without a requirement ({@code @PermitAll}) gets {@code x-idsync-roles: []};</li>
 *   <li>the tenant scope: an operation with a parameter {@link TenantAccessFilter} checks gets
 *       {@code x-idsync-tenant-scope} naming it, and its 403;</li>
 *   <li>the problem+json errors api-support's {@link ProblemMappers} answer for every operation of that
 *       shape (401/403 with a role; 400/413/415 with a body; 400 with parameters to convert; 422 with
 *       bean-validation constraints), and the {@link Problem} schema under every error response that a
 *       resource declared without content.</li>
 * </ul>
 */
public class ApiContractFilter implements OASFilter {

    public static final String PROBLEM_SCHEMA = "Problem";
    public static final String FIELD_ERROR_SCHEMA = "FieldError";
    public static final String ROLES_EXTENSION = "x-idsync-roles";
    public static final String TENANT_SCOPE_EXTENSION = "x-idsync-tenant-scope";

    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM_SCHEMA;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSchema(FIELD_ERROR_SCHEMA, fieldErrorSchema());
        components.addSchema(PROBLEM_SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> describe(path, item, method, operation)));
    }

    private void describe(String path, PathItem item, PathItem.HttpMethod method, Operation operation) {
        if (path.startsWith("/q/")) {
            return; // Quarkus' own endpoints (the document itself)
        }
        List<Parameter> parameters = new ArrayList<>();
        Optional.ofNullable(item.getParameters()).ifPresent(parameters::addAll);
        Optional.ofNullable(operation.getParameters()).ifPresent(parameters::addAll);
        List<String> notes = new ArrayList<>();

        TreeSet<String> roles = rolesOf(operation);
        operation.addExtension(ROLES_EXTENSION, List.copyOf(roles));
        if (roles.isEmpty()) {
            notes.add("**Roles:** none (`@PermitAll`); see the description for the credential it takes.");
        } else {
            notes.add("**Roles:** any of " + String.join(", ", roles.stream().map(r -> "`" + r + "`").toList())
                    + " (bearer token of idsync's OIDC issuer, claim `roles`).");
            response(operation, "401", "Unauthorized: no bearer token, or one idsync's OIDC issuer did not sign "
                    + "(problem+json, header `WWW-Authenticate: Bearer`).");
            response(operation, "403", "Forbidden: the token lacks the role this operation needs"
                    + (tenantParameter(parameters).isPresent() ? ", or does not grant the tenant it names." : "."));
        }
        // TenantAccessFilter does not check @PermitAll operations: their credential binds the tenant itself.
        tenantParameter(parameters).filter(t -> !roles.isEmpty()).ifPresent(tenant -> {
            operation.addExtension(TENANT_SCOPE_EXTENSION, tenant.getIn().toString() + ":" + tenant.getName());
            notes.add("**Tenant scope:** the token must grant the tenant `" + tenant.getName() + "` names (app role `"
                    + Roles.TENANT_PREFIX + "<tenant>` or `" + Roles.OPERATOR + "`), else 403 naming it.");
        });

        boolean hasBody = operation.getRequestBody() != null;
        if (hasBody) {
            response(operation, "400", "Bad Request: the body is not JSON, has an unknown field or a value of the "
                    + "wrong type; `errors` names the field.");
            response(operation, "413", "Content Too Large: the body exceeds the service's "
                    + "`quarkus.http.limits.max-body-size`.");
            boolean anyMediaType = operation.getRequestBody().getContent() != null
                    && operation.getRequestBody().getContent().hasMediaType("*/*");
            if (!anyMediaType) {
                response(operation, "415", "Unsupported Media Type: the body is not one of the media types listed.");
            }
        }
        boolean converted = parameters.stream().anyMatch(p -> p.getIn() != Parameter.In.PATH
                && p.getSchema() != null && p.getSchema().getType() != null
                && !p.getSchema().getType().contains(Schema.SchemaType.STRING));
        if (converted) {
            response(operation, "400", "Bad Request: a parameter cannot be read as its type; `errors` names it.");
        }
        if (parameters.stream().anyMatch(ApiContractFilter::constrained)) {
            response(operation, "422", "Unprocessable Content: a parameter breaks its constraint (minimum, maximum, "
                    + "pattern); `errors` names each one.");
        }

        if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
            operation.getResponses().getAPIResponses().forEach((code, response) -> {
                if (code.matches("[45]\\d\\d") && response.getContent() == null && response.getRef() == null) {
                    response.setContent(problemContent());
                }
            });
            sortResponses(operation);
        }
        String description = operation.getDescription();
        operation.setDescription((description == null || description.isBlank() ? "" : description.strip() + "\n\n")
                + String.join("\n\n", notes));
    }

    /** The roles of the operation's security requirements: Quarkus fills them from {@code @RolesAllowed}. */
    private static TreeSet<String> rolesOf(Operation operation) {
        TreeSet<String> roles = new TreeSet<>();
        if (operation.getSecurity() != null) {
            for (SecurityRequirement requirement : operation.getSecurity()) {
                if (requirement.getSchemes() != null) {
                    requirement.getSchemes().values().forEach(scopes -> {
                        if (scopes != null) {
                            roles.addAll(scopes);
                        }
                    });
                }
            }
        }
        return roles;
    }

    private static Optional<Parameter> tenantParameter(List<Parameter> parameters) {
        return parameters.stream().filter(p -> p.getIn() == Parameter.In.PATH
                        && TenantAccessFilter.PATH_PARAMETERS.contains(p.getName())
                        || p.getIn() == Parameter.In.QUERY && TenantAccessFilter.QUERY_PARAMETER.equals(p.getName()))
                .findFirst();
    }

    private static boolean constrained(Parameter parameter) {
        Schema schema = parameter.getSchema();
        return schema != null && (schema.getMinimum() != null || schema.getMaximum() != null
                || schema.getPattern() != null || schema.getMinLength() != null || schema.getMaxLength() != null);
    }

    /** Adds an error response unless the resource declared that status itself (its words win). */
    private static void response(Operation operation, String code, String description) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        APIResponse existing = responses.getAPIResponse(code);
        if (existing == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description).content(problemContent()));
        } else if (isGeneric(existing.getDescription())) {
            existing.setDescription(description); // Quarkus' own "Not Authorized" / "Bad Request" says less
        }
    }

    private static boolean isGeneric(String description) {
        return description == null || List.of("Not Authorized", "Not Allowed", "Bad Request").contains(description);
    }

    /** Responses in status order, so the document (and its checked-in copy) does not depend on who added what first. */
    private static void sortResponses(Operation operation) {
        Map<String, APIResponse> sorted = new LinkedHashMap<>();
        operation.getResponses().getAPIResponses().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        APIResponses responses = OASFactory.createAPIResponses();
        sorted.forEach(responses::addAPIResponse);
        if (operation.getResponses().getDefaultValue() != null) {
            responses.setDefaultValue(operation.getResponses().getDefaultValue());
        }
        operation.setResponses(responses);
    }

    static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    /** {@link Problem} as JSON Schema; ApiContractFilterTest keeps the two in step. */
    static Schema problemSchema() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details (`application/problem+json`). `errors` names each rejected "
                        + "field so a client can show the message beside the input; absent when empty.")
                .addProperty("type", string("`about:blank` unless a more specific problem type applies"))
                .addProperty("title", string("the HTTP status' reason phrase"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                        .description("the HTTP status code"))
                .addProperty("detail", string("what was wrong with this request"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref("#/components/schemas/" + FIELD_ERROR_SCHEMA)))
                .required(List.of("type", "title", "status"));
    }

    static Schema fieldErrorSchema() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("One rejected input: the field as the client named it (JSON path or parameter) and why.")
                .addProperty("field", string("JSON path of a body field, or a parameter name"))
                .addProperty("message", string("why it was rejected"))
                .required(List.of("field", "message"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
