package dev.idsync.infra.test;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A generated contract document (OpenAPI, AsyncAPI) that is also checked in under the repository, so a
 * reviewer sees an API change in the diff: {@link #check} fails when the code's document and the file differ,
 * and rewrites the file instead when the system property {@value #WRITE_PROPERTY} is {@code true}.
 * Run the regeneration with {@link #REGENERATE}.
 */
public final class CheckedInDocument {

    /** Set to {@code true} to rewrite the checked-in documents from the code instead of comparing. */
    public static final String WRITE_PROPERTY = "idsync.contracts.write";

    /** The one command that rewrites every checked-in contract document (docs/openapi/*.yaml, sync-events' asyncapi.yaml). */
    public static final String REGENERATE = "./mvnw -B verify -pl sync-events,graph-poller,delta-processor,role-mapper,"
            + "profile-writer,audit-log,graph-emulator -Dtest='HealthAndMetricsTest,ControlApiDocumentTest,AsyncApiDocumentTest' "
            + "-Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CheckedInDocument() {
    }

    /** A response of the application under test: status and body. */
    public record Served(int status, String body) {
    }

    /** GETs {@code path} from the running {@code @QuarkusTest} application, without a token. */
    public static Served get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(TestHTTPResourceManager.getUri() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Served(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param relative the file's path from the repository root, e.g. {@code docs/openapi/graph-poller.yaml}
     * @param actual   the document as the code produces it now
     */
    public static void check(String relative, String actual) {
        Path file = repositoryRoot().resolve(relative);
        String expected = normalized(actual);
        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, expected, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(relative + " is missing; write it with: " + REGENERATE);
        }
        String checkedIn;
        try {
            checkedIn = normalized(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!checkedIn.equals(expected)) {
            throw new AssertionError(relative + " differs from what the code produces (" + firstDifference(checkedIn, expected)
                    + "). If the change is intended, regenerate and commit it: " + REGENERATE);
        }
    }

    /** The checkout's root: the nearest directory up from the module that holds docs/CONTRACT.md. */
    static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("docs/CONTRACT.md"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no docs/CONTRACT.md above " + dir);
    }

    /** Line endings and trailing blanks do not count: an editor or git's autocrlf must not fail the build. */
    static String normalized(String text) {
        return String.join("\n", text.replace("\r\n", "\n").lines().map(String::stripTrailing).toList()).strip() + "\n";
    }

    private static String firstDifference(String checkedIn, String actual) {
        List<String> a = checkedIn.lines().toList();
        List<String> b = actual.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String left = i < a.size() ? a.get(i) : "<end of file>";
            String right = i < b.size() ? b.get(i) : "<end of document>";
            if (!left.equals(right)) {
                return "first difference at line " + (i + 1) + ": file has '" + left.strip() + "', code has '" + right.strip() + "'";
            }
        }
        return "no line differs";
    }
}
