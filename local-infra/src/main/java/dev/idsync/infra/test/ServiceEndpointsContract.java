package dev.idsync.infra.test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every idsync service that uses Kafka and PostgreSQL promises operators, as tests a service's
 * {@code @QuarkusTest} class inherits: readiness is UP only with its database and its Kafka channels
 * checked, liveness and Prometheus metrics are served without a token; its OpenAPI document and Swagger UI are
 * served without a token, and the document is the one checked in as {@code docs/openapi/<service>.yaml}.
 */
public abstract class ServiceEndpointsContract {

    @Test
    void readiness_is_up_and_covers_the_database_and_kafka() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"));
    }

    @Test
    void liveness_is_up() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheus_metrics_are_served_without_a_token() {
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"))
                .body(containsString("agroal_active_count"));
    }

    @Test
    void the_openapi_document_and_swagger_ui_are_served_without_a_token() {
        CheckedInDocument.Served document = CheckedInDocument.get("/q/openapi");
        assertEquals(200, document.status(), document.body());
        assertTrue(document.body().contains("oidc-bearer:")
                && document.body().contains("  Problem:"), "the shared bearer scheme and Problem schema are in it");
        CheckedInDocument.Served ui = CheckedInDocument.get("/q/swagger-ui/");
        assertEquals(200, ui.status());
    }

    /** Fetched with the JDK's client rather than RestAssured: a plain GET needs no Groovy warm-up. */
    @Test
    void the_checked_in_openapi_document_matches_the_code() {
        String service = ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
        CheckedInDocument.Served document = CheckedInDocument.get("/q/openapi");
        assertEquals(200, document.status(), document.body());
        CheckedInDocument.check("docs/openapi/" + service + ".yaml", document.body());
    }
}
