package dev.idsync.console;

import io.quarkus.qute.TemplateExtension;

/** {@code {time:format(x)}} in templates: an ISO instant from an API as the pages write times. */
@TemplateExtension(namespace = "time")
public class TemplateFunctions {

    static String format(Object value) {
        return value == null ? "—" : Formats.time(value.toString());
    }
}
