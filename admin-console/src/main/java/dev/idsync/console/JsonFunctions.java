package dev.idsync.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.qute.TemplateExtension;

/** {@code {str:json(x)}} (indented) and {@code {str:compact(x)}} (one line, cut at 300 characters) in templates. */
@TemplateExtension(namespace = "str")
public class JsonFunctions {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    static String json(Object value) {
        try {
            return JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    static String compact(Object value) {
        if (value == null) {
            return "";
        }
        try {
            String s = JSON.writeValueAsString(value);
            return s.length() > 300 ? s.substring(0, 300) + "…" : s;
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
