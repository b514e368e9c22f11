package dev.idsync.profile.api;

import dev.idsync.profile.local.LocalFields;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The PATCH body's shape, for the API document only: {@code ProfilePatchParser} reads the raw JSON, because a
 * merge patch must tell {@code null} (clear the field) from an absent field (keep it).
 */
@Schema(name = "ProfilePatch", description = "JSON merge patch: `entra` holds Entra user properties to set "
        + "(`null` clears one, an absent one is kept), `local`, when present, replaces all local-only fields. At "
        + "least one of the two.")
public record ProfilePatchBody(
        @Schema(description = "Writable Entra user properties: displayName, givenName, surname, jobTitle, department, "
                + "companyName, officeLocation, employeeId, mobilePhone, businessPhones, streetAddress, city, state, "
                + "postalCode, country, usageLocation, preferredLanguage, accountEnabled (profile-writer EntraField).")
        Map<String, Object> entra,
        @Schema(description = "The local-only fields, replaced as a whole.")
        LocalFields local) {
}
