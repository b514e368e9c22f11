package dev.idsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappingsFormTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "6f1e2a3b-0000-4000-8000-0000000000aa";

    @Test
    void stored_mappings_shown_in_the_form_and_submitted_unchanged_give_role_mappers_body_back() throws Exception {
        JsonNode stored = JSON.readTree("""
                {"tenantId": "contoso", "origin": "api", "pattern": "App-{tenant}-{role}", "roles": ["Admin", "User"],
                 "defaultRole": "User", "groups": {"%s": {"role": "Admin", "access": "edit"}}, "nested": "direct",
                 "directoryRoles": {"Global Administrator": "Admin"}}""".formatted(GROUP));
        MappingsForm form = MappingsForm.of(stored);
        assertThat(form.nested()).isEqualTo("direct");
        MappingsForm.Request request = form.request();
        assertThat(request.errors()).isEmpty();
        // What the simulation and the save send must be the same document: role-mapper's simulation id covers it.
        assertThat(JSON.<JsonNode>valueToTree(request.body())).isEqualTo(JSON.readTree("""
                {"pattern": "App-{tenant}-{role}", "roles": ["Admin", "User"], "defaultRole": "User",
                 "groups": {"%s": {"role": "Admin", "access": "edit"}}, "nested": "direct",
                 "directoryRoles": {"Global Administrator": "Admin"}}""".formatted(GROUP)));
    }

    @Test
    void mappings_without_nested_or_directory_roles_show_transitive_and_send_directory_roles_empty_not_absent() throws Exception {
        MappingsForm form = MappingsForm.of(JSON.readTree("""
                {"pattern": "App-{tenant}-{role}", "roles": ["User"], "defaultRole": "User", "groups": {}}"""));
        assertThat(form.nested()).isEqualTo("transitive");
        Map<String, Object> body = form.request().body();
        assertThat(body.get("directoryRoles")).isEqualTo(Map.of());
        assertThat(body.get("groups")).isEqualTo(Map.of());
    }

    @Test
    void a_group_line_without_access_sends_access_null_and_a_line_without_equals_is_an_error_naming_its_line() {
        MappingsForm form = new MappingsForm(" App-{tenant}-{role} ", "Admin, ,User", "", GROUP + " = HR\n\nno equals here",
                "", "just a role");
        MappingsForm.Request request = form.request();
        assertThat(request.body().get("pattern")).isEqualTo("App-{tenant}-{role}");
        assertThat(request.body().get("roles")).isEqualTo(List.of("Admin", "User"));
        assertThat(request.body().get("defaultRole")).isNull();
        assertThat(request.body().get("nested")).isNull();
        assertThat(JSON.<JsonNode>valueToTree(request.body().get("groups")).path(GROUP).path("access").isNull()).isTrue();
        assertThat(request.errors()).extracting(ApiResult.FieldMessage::field, ApiResult.FieldMessage::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("groups", "line 3: expected '<group id> = <role>[:<access>]'"),
                org.assertj.core.groups.Tuple.tuple("directoryRoles", "line 1: expected '<directory role> = <role>'"));
    }

    @Test
    void role_mapper_fields_are_shown_next_to_the_form_field_they_belong_to() {
        assertThat(RoleMappingsResource.fieldOf("roles[2]")).isEqualTo("roles");
        assertThat(RoleMappingsResource.fieldOf("groups." + GROUP + ".role")).isEqualTo("groups");
        assertThat(RoleMappingsResource.fieldOf("directoryRoles.Global Administrator")).isEqualTo("directoryRoles");
        assertThat(RoleMappingsResource.fieldOf("nested")).isEqualTo("nested");
        assertThat(RoleMappingsResource.fieldOf("pattern")).isEqualTo("pattern");
        assertThat(RoleMappingsResource.fieldOf("If-Match")).isEqualTo("body");
        assertThat(RoleMappingsResource.fieldOf("rolesExtra")).isEqualTo("body");
    }
}
