package dev.idsync.infra.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drift check itself, without a service: what the services' and the emulator's contract tests rely on. */
class CheckedInDocumentTest {

    /** A fixture under target/, named from the repository root like docs/openapi/<service>.yaml. */
    private static final String FILE = "local-infra/target/checked-in-document-test.yaml";
    private static final String DOCUMENT = "openapi: 3.1.0\npaths:\n  /api/x:\n    get:\n      summary: Read x\n";

    private Path file;

    @BeforeEach
    void checkIn() throws Exception {
        file = CheckedInDocument.repositoryRoot().resolve(FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, DOCUMENT);
    }

    @Test
    void the_same_document_passes_even_with_other_line_endings_and_trailing_blanks() {
        CheckedInDocument.check(FILE, DOCUMENT.replace("\n", "  \r\n") + "\n\n");
    }

    @Test
    void a_document_that_differs_fails_naming_the_first_different_line_and_the_regeneration_command() throws Exception {
        assertThatThrownBy(() -> CheckedInDocument.check(FILE, DOCUMENT.replace("Read x", "List x")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(FILE)
                .hasMessageContaining("line 5: file has 'summary: Read x', code has 'summary: List x'")
                .hasMessageContaining(CheckedInDocument.REGENERATE);
        assertThat(Files.readString(file)).isEqualTo(DOCUMENT); // compared, never rewritten
    }

    @Test
    void a_missing_document_fails_with_the_regeneration_command() throws Exception {
        Files.delete(file);
        assertThatThrownBy(() -> CheckedInDocument.check(FILE, DOCUMENT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is missing")
                .hasMessageContaining(CheckedInDocument.REGENERATE);
    }
}
