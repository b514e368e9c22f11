package dev.idsync.console;

import io.quarkus.qute.TemplateExtension;

/** {@code {when:format(x)}} in templates: an ISO instant from an API as the pages write times. */
@TemplateExtension(namespace = "when")
public class TemplateFunctions {

    static String format(Object value) {
        return value == null ? "—" : Formats.time(value.toString());
    }
}
