package org.switchboard.arquillian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.testkit.SipTransport;

class RemoteConfigurationTest {

    @TempDir
    Path dir;

    private static RemoteConfiguration minimal() {
        RemoteConfiguration c = new RemoteConfiguration();
        c.setToken("t");
        c.setSipAddress("127.0.0.1:5060");
        return c;
    }

    @Test
    void theTokenAndTheSipAddressAreAllItNeeds() throws Exception {
        RemoteConfiguration c = minimal();
        c.validate();

        assertThat(c.adminUri()).isEqualTo(URI.create(RemoteConfiguration.DEFAULT_ADMIN_URL));
        assertThat(c.token()).isEqualTo("t");
        assertThat(c.sip()).isEqualTo(new SipAddress("127.0.0.1", 5060, SipTransport.UDP));
        assertThat(c.deployTimeout()).isEqualTo(RemoteConfiguration.DEFAULT_DEPLOY_TIMEOUT);
    }

    @Test
    void theValuesAreTrimmedAndParsed() throws Exception {
        RemoteConfiguration c = minimal();
        c.setAdminUrl(" https://switchboard.example:9443/admin/ ");
        c.setSipAddress(" [::1]:5070 ");
        c.setTransport("TCP");
        c.setDeployTimeout(5);
        c.validate();

        assertThat(c.adminUri()).isEqualTo(URI.create("https://switchboard.example:9443/admin"));
        assertThat(c.sip()).isEqualTo(new SipAddress("::1", 5070, SipTransport.TCP));
        assertThat(c.deployTimeout().toSeconds()).isEqualTo(5);
    }

    @Test
    void theTokenFileIsReadItsFirstLineTrimmed() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  secret-of-the-file \nsecond line\n");
        RemoteConfiguration c = minimal();
        c.setToken(null);
        c.setTokenFile(file.toString());
        c.validate();

        assertThat(c.token()).isEqualTo("secret-of-the-file");
    }

    @Test
    void aMissingOrEmptyTokenFileIsNamed() throws Exception {
        RemoteConfiguration c = minimal();
        c.setToken(null);
        c.setTokenFile(dir.resolve("absent").toString());
        assertThatThrownBy(c::token).hasMessageStartingWith("tokenFile: cannot read " + dir.resolve("absent"));

        c.setTokenFile(Files.writeString(dir.resolve("empty"), "\n").toString());
        assertThatThrownBy(c::token).hasMessage("tokenFile: " + dir.resolve("empty") + " is empty");
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        RemoteConfiguration both = minimal();
        both.setTokenFile("/some/file");
        assertThatThrownBy(both::validate).isInstanceOf(ConfigurationException.class).hasMessageStartingWith("token, tokenFile: set exactly one");

        RemoteConfiguration neither = minimal();
        neither.setToken(" ");
        assertThatThrownBy(neither::validate).hasMessageStartingWith("token, tokenFile: set exactly one");

        RemoteConfiguration url = minimal();
        url.setAdminUrl("ftp://127.0.0.1");
        assertThatThrownBy(url::validate).hasMessage("adminUrl: 'ftp://127.0.0.1' is not an http or https address");

        RemoteConfiguration noSip = minimal();
        noSip.setSipAddress(null);
        assertThatThrownBy(noSip::validate).hasMessageStartingWith("sipAddress: required");

        for (String bad : new String[] {"127.0.0.1", ":5060", "127.0.0.1:0", "127.0.0.1:sip"}) {
            RemoteConfiguration sip = minimal();
            sip.setSipAddress(bad);
            assertThatThrownBy(sip::validate).as(bad).hasMessage("sipAddress: '" + bad + "' is not host:port");
        }

        RemoteConfiguration transport = minimal();
        transport.setTransport("sctp");
        assertThatThrownBy(transport::validate).hasMessage("transport: 'sctp' is neither udp nor tcp");

        RemoteConfiguration timeout = minimal();
        timeout.setDeployTimeout(0);
        assertThatThrownBy(timeout::validate).hasMessageStartingWith("deployTimeout: 0");
    }
}
