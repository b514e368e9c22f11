package dev.idsync.processor.api;

import dev.idsync.processor.rules.TenantRuleBook;
import dev.idsync.processor.rules.TenantRules;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The users export (reference 001's Excel export) as a real .xlsx written by fastexcel, which streams:
 * each row is flushed to the response as the database cursor yields it, so a 100k-user tenant is never
 * held in memory as a workbook.
 */
@ApplicationScoped
public class UserWorkbook {

    public static final String MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** Graph attributes exported, in this order; each under its local name (field mapping). */
    static final List<String> ATTRIBUTES = List.of("displayName", "userPrincipalName", "mail", "givenName", "surname",
            "jobTitle", "department", "companyName", "officeLocation", "mobilePhone", "accountEnabled");

    private final DirectoryQueries queries;
    private final TenantRuleBook rules;

    UserWorkbook(DirectoryQueries queries, TenantRuleBook rules) {
        this.queries = queries;
        this.rules = rules;
    }

    void write(String tenant, DirectoryQueries.UserFilter filter, OutputStream out) throws IOException {
        TenantRules tenantRules = rules.of(tenant);
        Workbook workbook = new Workbook(out, "idsync", "1.0");
        Worksheet sheet = workbook.newWorksheet("Users");
        int[] r = {0};
        int c = 0;
        sheet.value(0, c++, "id");
        for (String attribute : ATTRIBUTES) {
            sheet.value(0, c++, tenantRules.localName(attribute));
        }
        sheet.value(0, c++, TenantRules.ORG_UNIT);
        sheet.value(0, c++, "state");
        sheet.value(0, c++, "placeholder");
        sheet.value(0, c++, "lastConfirmedAt");
        sheet.value(0, c, "stale");
        sheet.style(0, 0).bold().set();
        queries.forEachUser(tenant, filter, user -> {
            int row = ++r[0];
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = (Map<String, Object>) user.get("attributes");
            int col = 0;
            sheet.value(row, col++, (String) user.get("id"));
            for (String attribute : ATTRIBUTES) {
                cell(sheet, row, col++, attributes.get(tenantRules.localName(attribute)));
            }
            cell(sheet, row, col++, attributes.get(TenantRules.ORG_UNIT));
            sheet.value(row, col++, (String) user.get("state"));
            sheet.value(row, col++, (Boolean) user.get("placeholder"));
            Instant confirmed = (Instant) user.get("lastConfirmedAt");
            sheet.value(row, col++, confirmed == null ? null : confirmed.toString());
            sheet.value(row, col, (Boolean) user.get("stale"));
            if (row % 1000 == 0) {
                sheet.flush(); // hand the rows written so far to the response
            }
        });
        sheet.finish();
        workbook.finish();
    }

    private static void cell(Worksheet sheet, int row, int col, Object value) {
        switch (value) {
            case null -> { }
            case Boolean b -> sheet.value(row, col, b);
            case Number n -> sheet.value(row, col, n);
            case List<?> list -> sheet.value(row, col, String.join(", ", list.stream().map(String::valueOf).toList()));
            default -> sheet.value(row, col, value.toString());
        }
    }
}
