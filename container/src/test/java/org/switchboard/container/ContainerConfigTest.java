package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerConfigTest {

    @Test
    void fileThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.properties"), "drachtio.mode=inbound\ndrachtio.port=9000\nsip.t1=100\n");
        ContainerConfig c = ContainerConfig.load(file, Map.of("SWITCHBOARD_DRACHTIO_PORT", "9100", "HOME", "/root"),
                Map.of("sip.t1", "50"));
        assertThat(c.mode()).isEqualTo("inbound");
        assertThat(c.get("drachtio.port", "")).isEqualTo("9100");
        assertThat(c.t1().toMillis()).isEqualTo(50);
        assertThat(c.get("home", "none")).isEqualTo("none");
    }

    @Test
    void defaultsAreTheEmbeddedServerOnLoopback() {
        ContainerConfig c = ContainerConfig.of(Map.of());
        assertThat(c.mode()).isEqualTo("embedded");
        assertThat(c.contacts()).containsExactly("sip:127.0.0.1:5060;transport=udp,tcp");
        assertThat(c.deployments()).isEqualTo(Path.of("deployments"));
    }

    @Test
    void badSettingsAreClearErrors() {
        assertThatThrownBy(() -> ContainerConfig.of(Map.of("drachtio.mode", "sideways")).mode())
                .hasMessageContaining("embedded, inbound or outbound");
        assertThatThrownBy(() -> Container.start(ContainerConfig.of(Map.of("drachtio.mode", "inbound", "deployments.dir",
                Files.createTempDirectory("d").toString()))))
                .hasMessageContaining("drachtio.secret");
        assertThatThrownBy(() -> Container.start(ContainerConfig.of(Map.of("drachtio.mode", "inbound", "drachtio.host", "192.0.2.1",
                "drachtio.secret", "cymru", "deployments.dir", Files.createTempDirectory("d").toString()))))
                .hasMessageContaining("only on loopback");
    }
}
