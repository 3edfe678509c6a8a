package org.switchboard.arquillian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.switchboard.testkit.SipTransport;

class SwitchboardConfigurationTest {

    @Test
    void everyPropertyHasADefault() throws Exception {
        SwitchboardConfiguration config = new SwitchboardConfiguration();
        config.validate();

        assertThat(config.sipTransport()).isEqualTo(SipTransport.UDP);
        assertThat(config.settings()).isEmpty();
        assertThat(config.timeout()).isEqualTo(SwitchboardConfiguration.DEFAULT_TIMEOUT);
    }

    @Test
    void settingsAreContainerSettingsOneALine() throws Exception {
        SwitchboardConfiguration config = new SwitchboardConfiguration();
        config.setTransport(" TCP ");
        config.setSettings("\n      answer.timeout=5\n      sip.t1 = 100\n");
        config.validate();

        assertThat(config.sipTransport()).isEqualTo(SipTransport.TCP);
        assertThat(config.settings()).isEqualTo(Map.of("answer.timeout", "5", "sip.t1", "100"));
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        SwitchboardConfiguration transport = new SwitchboardConfiguration();
        transport.setTransport("sctp");
        assertThatThrownBy(transport::validate).isInstanceOf(ConfigurationException.class)
                .hasMessage("transport: 'sctp' is neither udp nor tcp");

        SwitchboardConfiguration timeout = new SwitchboardConfiguration();
        timeout.setTimeout(0);
        assertThatThrownBy(timeout::validate).isInstanceOf(ConfigurationException.class).hasMessageStartingWith("timeout: 0");
    }

    @Test
    void anArchiveWithoutTheExtensionOfItsKindGetsIt() {
        assertThat(SwitchboardContainer.fileName(ShrinkWrap.create(WebArchive.class, "app"))).isEqualTo("app.war");
        assertThat(SwitchboardContainer.fileName(ShrinkWrap.create(JavaArchive.class, "lib"))).isEqualTo("lib.jar");
        assertThat(SwitchboardContainer.fileName(ShrinkWrap.create(WebArchive.class, "app.war"))).isEqualTo("app.war");
    }

    @Test
    void anAddressGivesUrisForItsTransport() {
        assertThat(new SipAddress("127.0.0.1", 5070, SipTransport.UDP).uri("bob")).isEqualTo("sip:bob@127.0.0.1:5070");
        assertThat(new SipAddress("::1", 5070, SipTransport.TCP).uri("bob")).isEqualTo("sip:bob@[::1]:5070;transport=tcp");
        assertThatThrownBy(() -> new SipAddress("127.0.0.1", 0, SipTransport.UDP)).isInstanceOf(IllegalArgumentException.class);
    }
}
