package dev.idsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Follows a delta round over raw HTTP, page by page, collecting what Graph-like clients would see. */
public final class DeltaRounds {

    /** All pages of one round and the deltaLink that ended it. */
    public record Round(List<JsonPath> pages, List<Map<String, Object>> items, String deltaLink) {
    }

    private DeltaRounds() {
    }

    public static Round follow(String token, String firstUrl, String prefer) {
        List<JsonPath> pages = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        String url = firstUrl;
        for (int guard = 0; guard < 10_000; guard++) {
            Response response = EmulatorClient.graphGet(token, url, prefer);
            assertThat(response.statusCode()).as("status of %s: %s", url, response.asString()).isEqualTo(200);
            JsonPath page = response.jsonPath();
            pages.add(page);
            items.addAll(page.getList("value"));
            String next = page.getString("'@odata.nextLink'");
            String delta = page.getString("'@odata.deltaLink'");
            assertThat(next == null || delta == null).as("a page never has both links").isTrue();
            if (delta != null) {
                return new Round(pages, items, delta);
            }
            assertThat(next).as("a page without deltaLink has a nextLink").isNotNull();
            url = next;
        }
        throw new AssertionError("round did not end");
    }
}
