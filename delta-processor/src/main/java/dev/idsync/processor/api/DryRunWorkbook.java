package dev.idsync.processor.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A dry run's plan as a real .xlsx (fastexcel, streamed from a cursor like the users export): one row
 * per changed attribute of an add or update, one row per deletion.
 */
@ApplicationScoped
public class DryRunWorkbook {

    static final List<String> COLUMNS = List.of("action", "kind", "id", "displayName", "attribute", "old", "new",
            "reason");

    private final DryRunQueries queries;

    DryRunWorkbook(DryRunQueries queries) {
        this.queries = queries;
    }

    void write(String tenant, String runId, OutputStream out) throws IOException {
        Workbook workbook = new Workbook(out, "idsync", "1.0");
        Worksheet sheet = workbook.newWorksheet("Plan");
        for (int c = 0; c < COLUMNS.size(); c++) {
            sheet.value(0, c, COLUMNS.get(c));
        }
        sheet.style(0, 0).bold().set();
        int[] r = {0};
        queries.forEachItem(tenant, runId, item -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> changes = (List<Map<String, Object>>) item.get("changes");
            if (changes.isEmpty()) {
                row(sheet, ++r[0], item, null);
            }
            for (Map<String, Object> change : changes) {
                row(sheet, ++r[0], item, change);
            }
            if (r[0] % 1000 < Math.max(1, changes.size())) {
                sheet.flush(); // hand the rows written so far to the response
            }
        });
        sheet.finish();
        workbook.finish();
    }

    private static void row(Worksheet sheet, int row, Map<String, Object> item, Map<String, Object> change) {
        sheet.value(row, 0, (String) item.get("action"));
        sheet.value(row, 1, (String) item.get("kind"));
        sheet.value(row, 2, (String) item.get("id"));
        sheet.value(row, 3, (String) item.get("displayName"));
        if (change != null) {
            sheet.value(row, 4, (String) change.get("attribute"));
            text(sheet, row, 5, change.get("old"));
            text(sheet, row, 6, change.get("new"));
        }
        sheet.value(row, 7, (String) item.get("reason"));
    }

    private static void text(Worksheet sheet, int row, int col, Object value) {
        switch (value) {
            case null -> { }
            case List<?> list -> sheet.value(row, col, String.join(", ", list.stream().map(String::valueOf).toList()));
            default -> sheet.value(row, col, value.toString());
        }
    }
}
