package dev.idsync.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** What every page resource shares: the viewer, the tenant check, JSON for templates, error pages. */
@RequestScoped
public class Pages {

    private final Viewer viewer;
    private final Tenants tenants;
    private final ObjectMapper json;
    private final Template error;

    Pages(Viewer viewer, Tenants tenants, ObjectMapper json, @Location("error") Template error) {
        this.viewer = viewer;
        this.tenants = tenants;
        this.json = json;
        this.error = error;
    }

    public Viewer viewer() {
        return viewer;
    }

    /** A page of a tenant: the template with the viewer and the tenant; 404 for a tenant idsync.yaml lacks. */
    public TemplateInstance page(Template template, String tenant) {
        if (tenants.find(tenant).isEmpty()) {
            throw new PageException(new ApiResult(404, json.createObjectNode().put("title", "Not Found")
                    .put("detail", "no tenant '" + tenant + "' in idsync.yaml")));
        }
        return template.data("viewer", viewer.who()).data("tenant", tenant).data("tenantView", tenants.find(tenant).get());
    }

    public TemplateInstance page(Template template) {
        return template.data("viewer", viewer.who());
    }

    /** JSON as maps and lists, which Qute reads by key. */
    public Object plain(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : json.convertValue(node, Object.class);
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(JsonNode node) {
        Object plain = plain(node);
        return plain instanceof List<?> l ? (List<Object>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(JsonNode node) {
        Object plain = plain(node);
        return plain instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The API's refusal as a page with the API's status: a 403 stays a 403 for the browser too. */
    public Response errorPage(ApiResult result) {
        TemplateInstance page = error.data("viewer", viewer.who()).data("status", result.status()).data("title", result.title())
                .data("detail", result.detail()).data("errors", result.errors());
        return Response.status(result.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    public static Response seeOther(String path) {
        return Response.seeOther(URI.create(path)).build();
    }

    public static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }

    public static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
