package dev.idsync.profile.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idsync.api.FieldError;
import dev.idsync.api.ProblemException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation happens before anything else and names every bad field. */
class ProfilePatchParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ProfilePatch parse(String json) throws Exception {
        return ProfilePatchParser.parse(JSON.readTree(json));
    }

    private static List<String> fieldsRejectedIn(String json) throws Exception {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> parse(json));
        assertThat(e).as("expected a 422 for %s", json).isNotNull();
        assertThat(e.problem().status()).isEqualTo(422);
        return e.problem().errors().stream().map(FieldError::field).toList();
    }

    @Test
    void a_valid_body_splits_into_entra_properties_and_the_complete_local_fields() throws Exception {
        ProfilePatch patch = parse("""
                {"entra": {"jobTitle": "Teamleitung", "mobilePhone": null, "businessPhones": ["+49 30 1234567"],
                           "preferredLanguage": "de-DE", "usageLocation": "DE", "country": "Côte d'Ivoire",
                           "accountEnabled": false},
                 "local": {"employeeType": "freelancer", "gdprRestricted": true, "gdprReason": "Art. 21",
                           "entryDate": "2024-01-15", "exitDate": "2024-01-15"}}""");
        assertThat(patch.entra()).containsEntry("jobTitle", "Teamleitung").containsEntry("mobilePhone", null)
                .containsEntry("businessPhones", List.of("+49 30 1234567")).containsEntry("accountEnabled", false)
                .hasSize(7);
        assertThat(patch.local()).get().satisfies(l -> {
            assertThat(l.employeeType()).isEqualTo("freelancer");
            assertThat(l.employmentStatus()).isNull();
            assertThat(l.exitDate()).isEqualTo(LocalDate.of(2024, 1, 15));
        });
    }

    @Test
    void types_lengths_and_formats_are_checked_per_field() throws Exception {
        assertThat(fieldsRejectedIn("""
                {"entra": {"givenName": "%s", "surname": true, "mobilePhone": "12", "businessPhones": ["+49 1", "+49 2"],
                           "preferredLanguage": "German", "usageLocation": "de", "country": "D3", "accountEnabled": "yes",
                           "department": "  "}}""".formatted("x".repeat(65))))
                .containsExactlyInAnyOrder("entra.givenName", "entra.surname", "entra.mobilePhone",
                        "entra.businessPhones", "entra.preferredLanguage", "entra.usageLocation", "entra.country",
                        "entra.accountEnabled", "entra.department");
    }

    @Test
    void the_gdpr_reason_is_required_when_the_flag_is_set_and_exit_may_not_precede_entry() throws Exception {
        assertThat(fieldsRejectedIn("""
                {"local": {"gdprRestricted": true, "entryDate": "2025-02-01", "exitDate": "2025-01-31"}}"""))
                .containsExactlyInAnyOrder("local.gdprReason", "local.exitDate");
        assertThat(fieldsRejectedIn("{\"local\": {\"entryDate\": \"01.02.2025\"}}")).containsExactly("local.entryDate");
    }

    @Test
    void unknown_fields_are_rejected_and_fields_in_the_wrong_section_are_pointed_out() throws Exception {
        assertThat(fieldsRejectedIn("""
                {"jobTitle": "x", "entra": {"gdprReason": "x", "mail": "a@b.c"}, "local": {"department": "x"}}"""))
                .containsExactlyInAnyOrder("jobTitle", "entra.gdprReason", "entra.mail", "local.department");
    }

    @Test
    void an_empty_update_and_a_body_that_is_not_an_object_are_rejected() throws Exception {
        assertThat(fieldsRejectedIn("{}")).containsExactly("body");
        assertThat(fieldsRejectedIn("[1]")).containsExactly("body");
        assertThat(fieldsRejectedIn("{\"entra\": {\"displayName\": null}}")).containsExactly("entra.displayName");
    }
}
