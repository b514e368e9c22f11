package dev.idsync.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict deserialisation of rendered Kubernetes objects into the published models: fabric8's Kubernetes
 * and Prometheus Operator models and Strimzi's {@code io.strimzi:api}.
 *
 * <p>Strict means: the apiVersion/kind pair must be one this class knows (no generic fallback); a field
 * the model does not have fails — Jackson's {@code FAIL_ON_UNKNOWN_PROPERTIES} for classes without a
 * catch-all, and for the many model classes that keep unknown fields in an {@code additionalProperties}
 * map (fabric8's {@code @JsonAnySetter}, Strimzi's {@code UnknownPropertyPreserving}) a walk over the
 * whole deserialised object that fails on any non-empty one; a value of the wrong type fails too.
 */
final class StrictModel {

    /** apiVersion/kind → model class. A kind the manifests start to use must be added here. */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private StrictModel() {
    }

    /** The documents of a multi-document YAML stream (empty ones dropped). */
    static List<JsonNode> documents(String yaml) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(yaml)) {
                for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                        docs.add(doc);
                    }
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("rendered YAML does not parse", e);
        }
    }

    static String id(JsonNode doc) {
        return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText() + " "
                + doc.path("metadata").path("name").asText();
    }

    /**
     * The object as its model class.
     *
     * @throws AssertionError naming the object and the offending field when it does not fit the model
     */
    static Object deserialise(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        Class<?> model = MODELS.get(key);
        if (model == null) {
            throw new AssertionError(id(doc) + ": no model for " + key + " (known: " + MODELS.keySet() + ")");
        }
        Object typed;
        try {
            typed = STRICT.treeToValue(doc, model);
        } catch (IOException e) {
            throw new AssertionError(id(doc) + " does not fit " + model.getName() + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(typed, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!unknown.isEmpty()) {
            throw new AssertionError(id(doc) + ": fields that " + model.getName() + " does not know: " + unknown);
        }
        return typed;
    }

    /** Every non-empty {@code additionalProperties} below {@code value}, as paths. */
    private static void collectUnknown(Object value, String path, List<String> unknown, Set<Object> seen) {
        if (value == null || isLeaf(value.getClass()) || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (!isModel(value.getClass())) {
            return;
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                } else {
                    collectUnknown(fieldValue, path + "." + field.getName(), unknown, seen);
                }
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.") || name.startsWith("io.strimzi.");
    }

    private static boolean isLeaf(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || type == String.class || Number.class.isAssignableFrom(type)
                || type == Boolean.class || type == Character.class || JsonNode.class.isAssignableFrom(type);
    }
}
