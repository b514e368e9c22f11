package dev.idsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileFormTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MultivaluedHashMap<String, String> resubmitted(ProfileForm form) {
        MultivaluedHashMap<String, String> posted = new MultivaluedHashMap<>();
        form.values().forEach((field, value) -> {
            if (ProfileForm.FLAGS.contains(field)) {
                if ("true".equals(value)) {
                    posted.add(field, "true"); // an unchecked checkbox is not posted at all
                }
            } else {
                posted.add(field, value);
            }
            posted.add("orig." + field, form.original(field));
        });
        return posted;
    }

    @Test
    void an_unchanged_form_patches_nothing_even_with_empty_local_fields_and_unchecked_flags() throws Exception {
        ProfileForm read = ProfileForm.of(JSON.readTree("""
                {"entra": {"displayName": "Ada", "jobTitle": null}, "local": {"remoteWork": null}}"""), null);
        assertThat(ProfileForm.submitted(resubmitted(read)).patch()).isEmpty();
    }

    @Test
    void only_the_changed_entra_fields_are_sent_and_a_cleared_one_as_null() throws Exception {
        ProfileForm read = ProfileForm.of(JSON.readTree("""
                {"entra": {"displayName": "Ada", "jobTitle": "Dev", "city": "Berlin"}, "local": {}}"""), null);
        MultivaluedHashMap<String, String> posted = resubmitted(read);
        posted.putSingle("jobTitle", "Lead");
        posted.putSingle("city", "");
        Map<String, Object> entra = new java.util.LinkedHashMap<>();
        entra.put("jobTitle", "Lead");
        entra.put("city", null);
        assertThat(ProfileForm.submitted(posted).patch()).isEqualTo(Map.of("entra", entra));
    }

    @Test
    void a_changed_local_field_sends_the_whole_local_section_because_profile_writer_replaces_it() throws Exception {
        ProfileForm read = ProfileForm.of(JSON.readTree("""
                {"entra": {}, "local": {"employeeType": "employee", "remoteWork": true}}"""), null);
        MultivaluedHashMap<String, String> posted = resubmitted(read);
        posted.remove("remoteWork");
        @SuppressWarnings("unchecked")
        Map<String, Object> local = (Map<String, Object>) ProfileForm.submitted(posted).patch().get("local");
        assertThat(local).containsEntry("employeeType", "employee").containsEntry("remoteWork", false)
                .containsEntry("gdprRestricted", false).containsEntry("entryDate", null).hasSize(ProfileForm.LOCAL.size());
    }
}
