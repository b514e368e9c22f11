package dev.idsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.junit.jupiter.api.Test;

/**
 * What {@link ApiContractFilter} adds to an operation, on a hand-built model (the services' documents show it on
 * the real ones: docs/openapi). A plain unit test: no Quarkus start.
 */
class ApiContractFilterTest {

    @Test
    void the_problem_schemas_have_exactly_the_record_components() {
        assertThat(ApiContractFilter.problemSchema().getProperties().keySet())
                .containsExactlyElementsOf(names(Problem.class));
        assertThat(ApiContractFilter.fieldErrorSchema().getProperties().keySet())
                .containsExactlyElementsOf(names(FieldError.class));
    }

    @Test
    void a_role_protected_tenant_scoped_operation_with_a_body_names_its_roles_scope_and_problem_errors() {
        Operation operation = OASFactory.createOperation()
                .addParameter(OASFactory.createParameter().name("tenant").in(Parameter.In.PATH)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)))
                .requestBody(OASFactory.createRequestBody())
                .responses(OASFactory.createAPIResponses()
                        .addAPIResponse("200", OASFactory.createAPIResponse().description("ok"))
                        .addAPIResponse("404", OASFactory.createAPIResponse().description("Not Found: no such user.")))
                .addSecurityRequirement(OASFactory.createSecurityRequirement()
                        .addScheme("oidc-bearer", List.of(Roles.WRITER, Roles.ADMIN)));

        filter("/api/tenants/{tenant}/users/{id}", operation);

        assertThat(operation.getExtensions()).containsEntry(ApiContractFilter.ROLES_EXTENSION,
                List.of(Roles.ADMIN, Roles.WRITER));
        assertThat(operation.getExtensions()).containsEntry(ApiContractFilter.TENANT_SCOPE_EXTENSION, "path:tenant");
        assertThat(operation.getResponses().getAPIResponses().keySet())
                .containsExactly("200", "400", "401", "403", "404", "413", "415");
        assertThat(operation.getResponses().getAPIResponse("404").getDescription()).isEqualTo("Not Found: no such user.");
        operation.getResponses().getAPIResponses().forEach((code, response) -> {
            if (!code.equals("200")) {
                assertThat(response.getContent().getMediaType(Problem.MEDIA_TYPE).getSchema().getRef())
                        .as(code).isEqualTo("#/components/schemas/Problem");
            }
        });
        assertThat(operation.getDescription()).contains("`idsync.admin`, `idsync.writer`").contains("Tenant scope");
    }

    @Test
    void a_permit_all_operation_gets_no_role_errors_no_tenant_scope_and_an_empty_role_list() {
        Operation operation = OASFactory.createOperation()
                .addParameter(OASFactory.createParameter().name("tenant").in(Parameter.In.PATH)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)))
                .responses(OASFactory.createAPIResponses()
                        .addAPIResponse("200", OASFactory.createAPIResponse().description("ok")));

        filter("/api/tenants/{tenant}/login-sync", operation);

        assertThat(operation.getExtensions()).containsEntry(ApiContractFilter.ROLES_EXTENSION, List.of());
        assertThat(operation.getResponses().getAPIResponses().keySet()).containsExactly("200");
        assertThat(operation.getExtensions()).doesNotContainKey(ApiContractFilter.TENANT_SCOPE_EXTENSION);
    }

    @Test
    void a_constrained_typed_query_parameter_adds_400_and_422() {
        Operation operation = OASFactory.createOperation()
                .addParameter(OASFactory.createParameter().name("size").in(Parameter.In.QUERY)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(
                                java.math.BigDecimal.ONE)))
                .responses(OASFactory.createAPIResponses()
                        .addAPIResponse("200", OASFactory.createAPIResponse().description("ok")))
                .addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("oidc-bearer", List.of(Roles.READER)));

        filter("/api/audit/events", operation);

        assertThat(operation.getResponses().getAPIResponses().keySet()).containsExactly("200", "400", "401", "403", "422");
        assertThat(operation.getExtensions()).doesNotContainKey(ApiContractFilter.TENANT_SCOPE_EXTENSION);
    }

    private static void filter(String path, Operation operation) {
        OpenAPI openAPI = OASFactory.createOpenAPI().paths(OASFactory.createPaths()
                .addPathItem(path, OASFactory.createPathItem().POST(operation)));
        new ApiContractFilter().filterOpenAPI(openAPI);
        assertThat(openAPI.getComponents().getSchemas()).containsKeys("Problem", "FieldError");
    }

    private static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }
}
