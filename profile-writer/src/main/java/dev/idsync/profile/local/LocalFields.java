package dev.idsync.profile.local;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The profile fields that exist only in idsync and are never sent to Entra (reference 000): employee
 * type, employment status, remote work, the GDPR restriction with its reason, entry and exit date.
 */
public record LocalFields(String employeeType, String employmentStatus, Boolean remoteWork, boolean gdprRestricted,
        String gdprReason, LocalDate entryDate, LocalDate exitDate) {

    public static final LocalFields NONE = new LocalFields(null, null, null, false, null, null, null);

    /** The fields as published in profile events (the names of the REST API). */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("employeeType", employeeType);
        map.put("employmentStatus", employmentStatus);
        map.put("remoteWork", remoteWork);
        map.put("gdprRestricted", gdprRestricted);
        map.put("gdprReason", gdprReason);
        map.put("entryDate", entryDate == null ? null : entryDate.toString());
        map.put("exitDate", exitDate == null ? null : exitDate.toString());
        return map;
    }
}
