package dev.idsync.infra.test;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * One call of an idsync API, for the table-driven tests of tenant isolation and bad input: the method, the
 * path with {@code {tenant}} where the tenant goes (path or query), an optional body, and the status the
 * call answers when it is allowed (to show that a token scoped to its own tenant works).
 */
public record ApiCall(String method, String path, String contentType, String body, int allowedStatus) {

    public static ApiCall get(String path, int allowedStatus) {
        return new ApiCall("GET", path, null, null, allowedStatus);
    }

    public static ApiCall delete(String path, int allowedStatus) {
        return new ApiCall("DELETE", path, null, null, allowedStatus);
    }

    public static ApiCall send(String method, String path, String jsonBody, int allowedStatus) {
        return new ApiCall(method, path, jsonBody == null ? null : "application/json", jsonBody, allowedStatus);
    }

    /** The same call with another body (content type kept, JSON if there was none). */
    public ApiCall withBody(String contentType, String newBody) {
        return new ApiCall(method, path, contentType, newBody, allowedStatus);
    }

    public String pathFor(String tenant) {
        return path.replace("{tenant}", tenant);
    }

    /** Sends the call for {@code tenant} with {@code authorization} (a {@link TestTokens} bearer). */
    public Response sendFor(String tenant, String authorization) {
        RequestSpecification request = given().header("Authorization", authorization);
        if (body != null) {
            request = request.contentType(contentType).body(body);
        }
        return request.request(method, pathFor(tenant));
    }

    @Override
    public String toString() {
        return method + " " + path + (body == null ? "" : " " + (body.length() > 60 ? body.substring(0, 60) + "…" : body));
    }
}
