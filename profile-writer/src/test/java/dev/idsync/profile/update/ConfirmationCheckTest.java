package dev.idsync.profile.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Entra may normalise what was written; only a real difference is a mismatch. */
class ConfirmationCheckTest {

    @Test
    void equal_values_and_a_cleared_value_read_back_as_empty_are_confirmed() {
        Map<String, Object> requested = new HashMap<>();
        requested.put("jobTitle", "Teamleitung");
        requested.put("businessPhones", null);
        var result = ConfirmationCheck.compare(requested, Map.of("jobTitle", "Teamleitung", "businessPhones", List.of()));
        assertThat(result.normalised()).isEmpty();
        assertThat(result.mismatches()).isEmpty();
    }

    @Test
    void case_spacing_and_phone_formatting_are_normalisation_not_mismatch() {
        var result = ConfirmationCheck.compare(
                Map.of("city", " berlin ", "mobilePhone", "+49 (171) 234-5678", "businessPhones", List.of("+49 30 1")),
                Map.of("city", "Berlin", "mobilePhone", "+491712345678", "businessPhones", List.of("+49301")));
        assertThat(result.normalised()).containsExactlyInAnyOrder("city", "mobilePhone", "businessPhones");
        assertThat(result.mismatches()).isEmpty();
    }

    @Test
    void a_different_value_is_reported_as_mismatch_with_both_values() {
        var result = ConfirmationCheck.compare(Map.of("department", "Vertrieb"), Map.of("department", "Sales"));
        assertThat(result.mismatches()).containsExactly(new ConfirmationCheck.Difference("department", "Vertrieb", "Sales"));
    }
}
