package dev.idsync.graph.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A delta body read in one pass keeps every property, null and annotation as Graph sent them. */
class DeltaPageParserTest {

    private final DeltaPageParser parser = new DeltaPageParser(new ObjectMapper());
    private final URI url = URI.create("https://graph.example/v1.0/groups/delta");

    @Test
    void items_properties_nulls_removals_members_and_links_are_read_as_sent() throws IOException {
        String body = """
                {"@odata.context":"x","@odata.nextLink":"https://graph.example/v1.0/groups/delta?$skiptoken=abc",
                 "value":[
                   {"id":"g1","displayName":"Sales","description":null,"mailEnabled":false,"count":3,"ratio":2.5,
                    "tags":["a","b"],"nested":{"k":1},
                    "members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1"},
                                     {"@odata.type":"#microsoft.graph.user","id":"u2","@removed":{"reason":"deleted"}}]},
                   {"id":"g2","@removed":{"reason":"changed"}}
                 ]}""";
        DeltaPage page = parser.parse(url, body.getBytes(StandardCharsets.UTF_8), "Sun, 06 Dec 2026 15:29:12 GMT", 2);

        assertThat(page.nextLink()).contains(URI.create("https://graph.example/v1.0/groups/delta?$skiptoken=abc"));
        assertThat(page.deltaLink()).isEmpty();
        assertThat(page.observedAt()).contains(Instant.parse("2026-12-06T15:29:12Z"));
        assertThat(page.attempts()).isEqualTo(2);
        DeltaItem g1 = page.items().get(0);
        assertThat(g1.id()).isEqualTo("g1");
        assertThat(g1.properties()).containsExactly(Map.entry("displayName", "Sales"),
                new java.util.AbstractMap.SimpleEntry<>("description", null), Map.entry("mailEnabled", false),
                Map.entry("count", 3), Map.entry("ratio", 2.5), Map.entry("tags", List.of("a", "b")),
                Map.entry("nested", Map.of("k", 1)));
        assertThat(g1.removed()).isEmpty();
        assertThat(g1.membersDelta()).extracting(MemberDelta::id).containsExactly("u1", "u2");
        assertThat(g1.membersDelta().get(1).isRemoval()).isTrue();
        assertThat(g1.raw()).containsKey("members@delta");
        DeltaItem g2 = page.items().get(1);
        assertThat(g2.removed()).contains(RemovalReason.CHANGED);
        assertThat(g2.properties()).isEmpty();
    }

    @Test
    void the_last_page_carries_the_delta_link_and_a_body_without_value_is_refused() throws IOException {
        DeltaPage last = parser.parse(url, """
                {"@odata.deltaLink":"https://graph.example/v1.0/groups/delta?$deltatoken=z","value":[]}"""
                .getBytes(StandardCharsets.UTF_8), null, 1);
        assertThat(last.isLast()).isTrue();
        assertThat(last.items()).isEmpty();
        assertThat(last.observedAt()).isEmpty();

        assertThatThrownBy(() -> parser.parse(url, "{\"error\":{}}".getBytes(StandardCharsets.UTF_8), null, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("'value'");
    }
}
