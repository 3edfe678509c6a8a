package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** drachtio-server's XML configuration file, the parts {@code sip-server --file} reads. */
class ConfigFileTest {

    @TempDir
    Path dir;

    private ConfigFile read(String xml) throws Exception {
        return ConfigFile.read(Files.writeString(dir.resolve("drachtio.conf.xml"), xml));
    }

    @Test
    void readsTheAdminElementTheContactsAndTheTlsSection() throws Exception {
        ConfigFile file = read("""
                <drachtio>
                  <admin port="9032" tls-port="9033" secret="s3cret">10.0.0.1</admin>
                  <sip>
                    <contacts>
                      <contact>sip:10.0.0.1:5060;transport=udp,tcp</contact>
                      <contact external-ip="203.0.113.9">sips:10.0.0.1:5061;transport=tls</contact>
                    </contacts>
                    <tls>
                      <key-file>/etc/sip/key.pem</key-file>
                      <cert-file>/etc/sip/cert.pem</cert-file>
                      <chain-file>/etc/sip/chain.pem</chain-file>
                      <dh-param>/etc/sip/dh.pem</dh-param>
                      <min-tls-version>1.3</min-tls-version>
                    </tls>
                    <udp-mtu>4096</udp-mtu>
                    <outbound-proxy>sip:10.0.0.2</outbound-proxy>
                    <reject-register-with-no-realm>yes</reject-register-with-no-realm>
                  </sip>
                </drachtio>
                """);
        assertThat(file.adminAddress()).contains("10.0.0.1");
        assertThat(file.adminPort()).isEqualTo(OptionalInt.of(9032));
        assertThat(file.adminTlsPort()).isEqualTo(OptionalInt.of(9033));
        assertThat(file.secret()).contains("s3cret");
        assertThat(file.contacts()).containsExactly("sip:10.0.0.1:5060;transport=udp,tcp", "sips:10.0.0.1:5061;transport=tls");
        assertThat(file.keyFile()).contains("/etc/sip/key.pem");
        assertThat(file.certFile()).contains("/etc/sip/cert.pem");
        assertThat(file.chainFile()).contains("/etc/sip/chain.pem");
        assertThat(file.dhParam()).contains("/etc/sip/dh.pem");
        assertThat(file.minTlsVersion()).contains("1.3");
        assertThat(file.mtu()).isEqualTo(OptionalInt.of(4096));
        assertThat(file.outboundProxy()).contains("sip:10.0.0.2");
        assertThat(file.rejectRegisterWithNoRealm()).isTrue();
    }

    @Test
    void anAdminElementWithoutAPortMeansDrachtiosDefaultAndTheOldSingleContactIsRead() throws Exception {
        ConfigFile file = read("<drachtio><admin secret='x'>127.0.0.1</admin>"
                + "<sip><contact>sip:127.0.0.1:5070</contact></sip></drachtio>");
        assertThat(file.adminPort()).isEqualTo(OptionalInt.of(DrachtioServerConfig.DEFAULT_ADMIN_PORT));
        assertThat(file.adminTlsPort()).isEmpty();
        assertThat(file.contacts()).isEqualTo(List.of("sip:127.0.0.1:5070"));
        assertThat(file.keyFile()).isEqualTo(Optional.empty());
        assertThat(read("<drachtio/>").adminPort()).isEmpty();
    }

    @Test
    void readsTheSpammerRulesWithDrachtiosDefaults() throws Exception {
        SpammerRules rules = read("""
                <drachtio><sip>
                  <spammers action="reject" tcp-action="discard">
                    <header name="User-Agent"><value>sip-cli</value><value>friendly-scanner</value><value> </value></header>
                    <header name="To"><value>sipvicious</value></header>
                    <header><value>nameless</value></header>
                  </spammers>
                </sip></drachtio>
                """).spammers();
        assertThat(rules.values()).isEqualTo(java.util.Map.of("User-Agent", List.of("sip-cli", "friendly-scanner"),
                "To", List.of("sipvicious")));
        assertThat(rules.datagramMode()).isEqualTo(RefusalMode.REJECT);
        assertThat(rules.streamMode()).isEqualTo(RefusalMode.DISCARD);
        SpammerRules unset = read("<drachtio><sip><spammers><header name='from'><value>x</value></header></spammers>"
                + "</sip></drachtio>").spammers();
        assertThat(unset.values()).containsOnlyKeys("From");
        assertThat(List.of(unset.datagramMode(), unset.streamMode())).containsOnly(RefusalMode.DISCARD);
        assertThat(read("<drachtio/>").spammers()).isEqualTo(SpammerRules.NONE);
        assertThatThrownBy(() -> read("<drachtio><sip><spammers action='drop'/></sip></drachtio>"))
                .hasMessageContaining("<spammers>: a refusal is 'reject' or 'discard', not 'drop'");
        assertThatThrownBy(() -> read("<drachtio><sip><spammers><header name='Via'><value>x</value></header>"
                + "</spammers></sip></drachtio>")).hasMessageContaining("not Via");
    }

    @Test
    void refusesWhatIsNotADrachtioFileNamingTheProblem() throws Exception {
        assertThatThrownBy(() -> read("<kamailio/>")).hasMessageContaining("root element must be <drachtio>");
        assertThatThrownBy(() -> read("<drachtio><admin port='x'>127.0.0.1</admin></drachtio>"))
                .hasMessageContaining("port must be a number, was 'x'");
        assertThatThrownBy(() -> read("<!DOCTYPE drachtio [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><drachtio>&e;</drachtio>"))
                .hasMessageContaining("cannot read the configuration file");
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("missing.xml"))).hasMessageContaining("missing.xml");
    }
}
