package dev.idsync.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s rendered as {@code kubectl apply -k} would render it — the base, every overlay, and the demo
 * overlay with every component — and every rendered object deserialised strictly
 * ({@link StrictModel}) against the Kubernetes, Prometheus Operator and Strimzi models. The drift checks
 * against the code (topics, ports, ACLs, variables) are deploy/k8s/check-manifests.py's.
 *
 * <p>Needs {@code kubectl} (kustomize is built in): on the PATH or {@code -Didsync.kubectl=…}. Without
 * it the tests are skipped on a developer's machine, but fail under CI ({@code CI=true}), so CI never
 * passes without having rendered the manifests.
 */
class RenderedManifestsTest {

    private static final Path K8S = Kustomize.k8sDir();
    private static Path kubectl;

    @BeforeAll
    static void findKubectl() {
        kubectl = Kustomize.kubectl().orElse(null);
        if (kubectl == null && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("kubectl not found (PATH or -D" + Kustomize.KUBECTL_PROPERTY
                    + "): CI must render deploy/k8s");
        }
        assumeTrue(kubectl != null, "kubectl not found (PATH or -D" + Kustomize.KUBECTL_PROPERTY + "): manifests not rendered");
    }

    @Test
    void every_object_of_the_base_fits_the_kubernetes_and_strimzi_models() {
        Map<String, Long> kinds = validateAll(K8S.resolve("base"));

        assertThat(kinds).containsEntry("apps/v1/Deployment", 5L).containsEntry("apps/v1/StatefulSet", 1L)
                .containsEntry("kafka.strimzi.io/v1/Kafka", 1L).containsEntry("kafka.strimzi.io/v1/KafkaTopic", 18L)
                .containsEntry("kafka.strimzi.io/v1/KafkaUser", 5L).containsKey("networking.k8s.io/v1/NetworkPolicy");
    }

    @Test
    void every_object_of_every_overlay_fits_the_models() throws IOException {
        List<Path> overlays = subdirectories(K8S.resolve("overlays"));
        assertThat(overlays).isNotEmpty();
        for (Path overlay : overlays) {
            assertThat(validateAll(overlay)).as(overlay.toString()).containsKey("apps/v1/Deployment");
        }
    }

    @Test
    void the_demo_overlay_with_every_component_fits_the_models_including_the_monitoring_objects() throws IOException {
        List<Path> components = subdirectories(K8S.resolve("components"));
        assertThat(components).extracting(p -> p.getFileName().toString()).contains("prometheus-operator", "monitoring");
        Path dir = Files.createDirectories(Path.of("target", "k8s-demo-with-components").toAbsolutePath());
        StringBuilder kustomization = new StringBuilder("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                """.formatted(dir.relativize(K8S.resolve("overlays/demo"))));
        components.forEach(c -> kustomization.append("  - ").append(dir.relativize(c)).append('\n'));
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization);

        Map<String, Long> kinds = validateAll(dir);

        assertThat(kinds).containsEntry("monitoring.coreos.com/v1/PodMonitor", 1L)
                .containsEntry("monitoring.coreos.com/v1/PrometheusRule", 1L);
    }

    @Test
    void a_misspelt_field_an_unknown_kind_and_a_wrong_type_are_rejected() {
        JsonNode deployment = StrictModel.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          image: i
                          imagePullPolicyy: Always
                """).get(0);
        assertThatThrownBy(() -> StrictModel.deserialise(deployment))
                .hasMessageContaining("apps/v1/Deployment d").hasMessageContaining("imagePullPolicyy");

        JsonNode topic = StrictModel.documents("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 3, replicas: 3, retentionMs: 1000}
                """).get(0);
        assertThatThrownBy(() -> StrictModel.deserialise(topic)).hasMessageContaining("retentionMs");

        JsonNode rule = StrictModel.documents("""
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: r}
                spec:
                  groups:
                    - name: g
                      rules:
                        - alert: A
                          expr: up == 0
                          for: 5m
                          severity: page
                """).get(0);
        assertThatThrownBy(() -> StrictModel.deserialise(rule)).hasMessageContaining("severity");

        JsonNode wrongType = StrictModel.documents("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: three}
                """).get(0);
        assertThatThrownBy(() -> StrictModel.deserialise(wrongType)).hasMessageContaining("KafkaTopic t");

        JsonNode unknownKind = StrictModel.documents("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: c}
                """).get(0);
        assertThatThrownBy(() -> StrictModel.deserialise(unknownKind)).hasMessageContaining("no model for batch/v1/CronJob");

        // and the right spellings pass, as the models' types
        assertThat(StrictModel.deserialise(StrictModel.documents(deploymentWith("imagePullPolicy")).get(0)))
                .isInstanceOf(Deployment.class);
        assertThat(StrictModel.deserialise(StrictModel.documents("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 3, replicas: 3, config: {retention.ms: 1000}}
                """).get(0))).isInstanceOf(KafkaTopic.class);
        assertThat(StrictModel.deserialise(StrictModel.documents("""
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: r}
                spec: {groups: [{name: g, rules: [{alert: A, expr: up == 0, for: 5m, labels: {severity: page}}]}]}
                """).get(0))).isInstanceOf(PrometheusRule.class);
    }

    private static String deploymentWith(String field) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers: [{name: c, image: i, %s: Always}]
                """.formatted(field);
    }

    /** Renders and checks every object; the count per apiVersion/kind. */
    private static Map<String, Long> validateAll(Path kustomization) {
        List<JsonNode> docs = StrictModel.documents(Kustomize.render(kubectl, kustomization));
        assertThat(docs).as("objects rendered from " + kustomization).isNotEmpty();
        List<String> failures = new ArrayList<>();
        for (JsonNode doc : docs) {
            try {
                StrictModel.deserialise(doc);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).as("objects of " + kustomization + " that do not fit their model").isEmpty();
        return docs.stream().collect(Collectors.groupingBy(
                d -> d.path("apiVersion").asText() + "/" + d.path("kind").asText(), TreeMap::new, Collectors.counting()));
    }

    private static List<Path> subdirectories(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml"))).sorted().toList();
        }
    }
}
