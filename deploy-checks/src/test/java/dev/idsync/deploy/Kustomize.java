package dev.idsync.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize}, as {@code kubectl apply -k} would. */
final class Kustomize {

    static final String KUBECTL_PROPERTY = "idsync.kubectl";

    private Kustomize() {
    }

    /** {@code deploy/k8s} of this repository, found above the working directory (the module's). */
    static Path k8sDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy").resolve("k8s");
            if (Files.isDirectory(candidate.resolve("base"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no deploy/k8s above " + Path.of("").toAbsolutePath());
    }

    /** {@code -Didsync.kubectl=…}, else {@code kubectl} on the PATH. */
    static Optional<Path> kubectl() {
        String explicit = System.getProperty(KUBECTL_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The rendered multi-document YAML of {@code kustomizationDir}. */
    static String render(Path kubectl, Path kustomizationDir) {
        List<String> command = List.of(kubectl.toString(), "kustomize", kustomizationDir.toString());
        try {
            Path out = Files.createTempFile("kustomize-", ".yaml");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.PIPE)
                        .start();
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish within 120 s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(command + " failed (" + process.exitValue() + "):\n" + err);
                }
                return Files.readString(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
