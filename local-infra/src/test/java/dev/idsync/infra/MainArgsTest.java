package dev.idsync.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MainArgsTest {

    @Test
    void defaultsToTheContractPorts() {
        assertThat(MainArgs.parse("--env-file", "x.env"))
                .isEqualTo(new MainArgs(Path.of("x.env"), Optional.empty(), 19092, 15432));
    }

    @Test
    void readsEveryOption() {
        assertThat(MainArgs.parse("--work-dir", "w", "--env-file", "e", "--kafka-port", "0", "--postgres-port", "5433"))
                .isEqualTo(new MainArgs(Path.of("e"), Optional.of(Path.of("w")), 0, 5433));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> MainArgs.parse()).hasMessageContaining("--env-file is required");
        assertThatThrownBy(() -> MainArgs.parse("--env-file")).hasMessageContaining("missing value");
        assertThatThrownBy(() -> MainArgs.parse("--env-file", "e", "--port", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> MainArgs.parse("--env-file", "e", "--kafka-port", "99999")).hasMessageContaining("port number");
    }
}
