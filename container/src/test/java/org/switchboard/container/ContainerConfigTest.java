package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.executors.LoadShedder;
import org.switchboard.sip.stack.transaction.TimerConfig;

class ContainerConfigTest {

    private static String problem(Map<String, String> values) {
        try {
            ContainerConfig.of(values);
        } catch (ConfigException e) {
            assertThat(e.problems()).hasSize(1);
            return e.getMessage();
        }
        throw new AssertionError("accepted " + values);
    }

    @Test
    void fileThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.properties"),
                "drachtio.mode=inbound\ndrachtio.port=9000\nsip.t1=100\ndrachtio.secret=s\napp.uas.routing.priority=5\n");
        ContainerConfig c = ContainerConfig.load(file, Map.of("SWITCHBOARD_DRACHTIO_PORT", "9100", "HOME", "/root",
                "SWITCHBOARD_APP_UAS_ROUTING_USER", "uas.*"), Map.of("sip.t1", " 50 "));
        assertThat(c.mode()).isEqualTo("inbound");
        assertThat(c.get(ContainerConfig.PORT)).isEqualTo(9100);
        assertThat(c.get(ContainerConfig.T1)).isEqualTo(Duration.ofMillis(50));
        assertThat(c.applications()).containsEntry("app.uas.routing.priority", "5").containsEntry("app.uas.routing.user", "uas.*");
    }

    @Test
    void theBuilderKeepsThePrecedenceWhateverTheOrderOfCalls(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.properties"), "answer.timeout=10\n");
        ContainerConfig c = ContainerConfig.builder().set("answer.timeout", "30").environment(Map.of("SWITCHBOARD_ANSWER_TIMEOUT", "20"))
                .file(file).build();
        assertThat(c.get(ContainerConfig.ANSWER_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void severalDrachtioServersAreHostPortAddressesCommaSeparated() {
        ContainerConfig c = ContainerConfig.of(Map.of("drachtio.mode", "inbound", "drachtio.secret", "s",
                "drachtio.servers", "10.0.0.7:9022, [fd00::8]:9023"));
        assertThat(c.get(ContainerConfig.SERVERS)).extracting(a -> a.getHostString() + " " + a.getPort())
                .containsExactly("10.0.0.7 9022", "fd00::8 9023");
        assertThat(ContainerConfig.of(Map.of()).find(ContainerConfig.SERVERS)).isEmpty();
        assertThatThrownBy(() -> ContainerConfig.of(Map.of("drachtio.servers", "10.0.0.7:9022,10.0.0.8")))
                .hasMessageContaining("drachtio.servers");
    }

    @Test
    void environmentVariablesThatNameNoSettingAreLeftAlone() {
        ContainerConfig c = ContainerConfig.load(null, Map.of("SWITCHBOARD_LOG_LEVEL", "DEBUG", "SWITCHBOARD_SIP_T1X", "7"), Map.of());
        assertThat(c.get(ContainerConfig.T1)).isEqualTo(TimerConfig.DEFAULT_T1);
    }

    @Test
    void defaultsAreTheEmbeddedServerOnLoopbackAndTheDrachtioConstants() {
        ContainerConfig c = ContainerConfig.of(Map.of());
        assertThat(c.mode()).isEqualTo("embedded");
        assertThat(c.get(ContainerConfig.CONTACTS)).containsExactly(ContainerConfig.DEFAULT_CONTACT);
        assertThat(c.get(ContainerConfig.DEPLOYMENTS)).isEqualTo(Path.of("deployments"));
        assertThat(c.get(ContainerConfig.HOST)).isEqualTo(DrachtioClientConfig.DEFAULT_HOST);
        assertThat(c.get(ContainerConfig.PORT)).isEqualTo(DrachtioClientConfig.DEFAULT_PORT);
        assertThat(c.get(ContainerConfig.T1)).isEqualTo(TimerConfig.DEFAULT_T1);
        assertThat(c.get(ContainerConfig.SHUTDOWN_DRAIN)).isEqualTo(ContainerConfig.DEFAULT_SHUTDOWN_DRAIN);
        assertThat(c.find(ContainerConfig.SECRET)).isEmpty();
        assertThat(c.work().getFileName().toString()).isEqualTo("switchboard-work-" + ProcessHandle.current().pid());
    }

    @Test
    void theRateLimitAndTheSpammerFileAreCheckedAtStart() {
        assertThat(ContainerConfig.of(Map.of()).rateLimit()).isEmpty();
        assertThat(ContainerConfig.of(Map.of("sip.rate-limit", "50")).rateLimit()).contains(
                new org.switchboard.drachtio.server.RateLimit(50, 50, org.switchboard.drachtio.server.RefusalMode.REJECT));
        assertThat(ContainerConfig.of(Map.of("sip.rate-limit", "5", "sip.rate-limit.burst", "20",
                "sip.rate-limit.action", "discard")).rateLimit()).contains(
                new org.switchboard.drachtio.server.RateLimit(5, 20, org.switchboard.drachtio.server.RefusalMode.DISCARD));
        assertThatThrownBy(() -> ContainerConfig.of(Map.of("sip.rate-limit", "0")))
                .hasMessageContaining("sip.rate-limit: the request rate must be above 0 per second");
        assertThatThrownBy(() -> ContainerConfig.of(Map.of("sip.spammers", "/nonexistent/drachtio.conf.xml")))
                .hasMessageContaining("sip.spammers: cannot read the configuration file /nonexistent/drachtio.conf.xml");
    }

    @Test
    void overloadSettingsMakeTheShedderSettingsAndTheLowMarkMustBeBelowTheHighOne() {
        ContainerConfig c = ContainerConfig.of(Map.of("overload.shed", "true", "overload.high", "400", "overload.low", "100",
                "overload.recovery", "3000",
                "overload.retry-after", "5", "sip.udp-receive-buffer", "8388608"));
        LoadShedder.Settings o = c.overload().orElseThrow();
        assertThat(o.high()).isEqualTo(Duration.ofMillis(400));
        assertThat(o.low()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.recovery()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.get(ContainerConfig.UDP_RECEIVE_BUFFER)).isEqualTo(8 << 20);
        assertThat(ContainerConfig.of(Map.of()).overload()).as("off by default").isEmpty();
        assertThat(ContainerConfig.of(Map.of("overload.shed", "true")).overload()).contains(LoadShedder.Settings.DEFAULTS);

        assertThatThrownBy(() -> ContainerConfig.of(Map.of("overload.low", "200")))
                .hasMessage("overload.low (200 ms) must be below overload.high (200 ms)");
        assertThatThrownBy(() -> ContainerConfig.of(Map.of("sip.udp-receive-buffer", "1000")))
                .hasMessage("sip.udp-receive-buffer: '1000' is not a size in bytes (at least 65536) (e.g. 8388608)");
    }

    @Test
    void typedValuesAreRead() {
        ContainerConfig c = ContainerConfig.of(Map.of("drachtio.listen", "[::1]:9999", "sip.cdrs", "TRUE",
                "sip.contacts", "sip:127.0.0.1:5070;transport=udp, sip:127.0.0.1:5071", "deployments.work", "/tmp/w",
                "drachtio.mode", "Outbound", "drachtio.secret", "x"));
        assertThat(c.get(ContainerConfig.LISTEN)).isEqualTo(InetSocketAddress.createUnresolved("::1", 9999));
        assertThat(c.get(ContainerConfig.CDRS)).isTrue();
        assertThat(c.get(ContainerConfig.CONTACTS)).containsExactly("sip:127.0.0.1:5070;transport=udp", "sip:127.0.0.1:5071");
        assertThat(c.work()).isEqualTo(Path.of("/tmp/w"));
        assertThat(c.mode()).isEqualTo("outbound");
    }

    @Test
    void aBadValueIsNamedWithItsKeyValueAndUnit() {
        assertThat(problem(Map.of("sip.t1", "abc"))).isEqualTo("sip.t1: 'abc' is not a duration in milliseconds (e.g. 500)");
        assertThat(problem(Map.of("sip.t1", "0")))
                .isEqualTo("sip.t1: '0' is not a duration in milliseconds (e.g. 500): it must be at least 1 ms");
        assertThat(problem(Map.of("deployments.drain", "-1")))
                .isEqualTo("deployments.drain: '-1' is not a duration in seconds (e.g. 30): it must be at least 1 s");
        assertThat(problem(Map.of("shutdown.drain", "1.5"))).isEqualTo("shutdown.drain: '1.5' is not a duration in seconds (e.g. 30)");
        assertThat(problem(Map.of("drachtio.port", "65536"))).isEqualTo("drachtio.port: '65536' is not a port number (0..65535)");
        assertThat(problem(Map.of("drachtio.port", "-1"))).isEqualTo("drachtio.port: '-1' is not a port number (0..65535)");
        assertThat(problem(Map.of("drachtio.listen", "127.0.0.1")))
                .isEqualTo("drachtio.listen: '127.0.0.1' is not a host:port address (e.g. 127.0.0.1:9023): no port");
        assertThat(problem(Map.of("sip.cdrs", "yes"))).isEqualTo("sip.cdrs: 'yes' is not true or false");
        assertThat(problem(Map.of("drachtio.mode", "sideways")))
                .isEqualTo("drachtio.mode: 'sideways' is not one of embedded, inbound, outbound");
        assertThat(problem(Map.of("sip.contacts", "sip:127.0.0.1:5060, sip:127.0.0.1:99999")))
                .startsWith("sip.contacts: 'sip:127.0.0.1:5060, sip:127.0.0.1:99999' is not SIP listen points")
                .contains("bad listen point sip:127.0.0.1:99999: ");
        assertThat(problem(Map.of("app.uas.routing.priority", "high"))).isEqualTo("app.uas.routing.priority: 'high' is not an integer");
        assertThat(problem(Map.of("app.uas.routing.user", "uas(")))
                .startsWith("app.uas.routing.user: 'uas(' is not a regular expression");
    }

    @Test
    void portsAtTheEndsOfTheRangeAreAccepted() {
        assertThat(ContainerConfig.of(Map.of("drachtio.port", "0")).get(ContainerConfig.PORT)).isZero();
        assertThat(ContainerConfig.of(Map.of("drachtio.port", "65535")).get(ContainerConfig.PORT)).isEqualTo(65535);
    }

    @Test
    void anUnknownKeyIsRefusedWithTheNearestKnownOne() {
        assertThat(problem(Map.of("sip.t1x", "500"))).isEqualTo("unknown setting 'sip.t1x'; did you mean 'sip.t1'?");
        assertThat(problem(Map.of("sip.t2x", "500"))).isEqualTo("unknown setting 'sip.t2x'; did you mean 'sip.t1'?");
        assertThat(problem(Map.of("deployment.dir", "d"))).isEqualTo("unknown setting 'deployment.dir'; did you mean 'deployments.dir'?");
        assertThat(problem(Map.of("shutdown.drian", "5"))).isEqualTo("unknown setting 'shutdown.drian'; did you mean 'shutdown.drain'?");
        assertThat(problem(Map.of("app.uas.routing.prio", "5")))
                .isEqualTo("unknown setting 'app.uas.routing.prio'; did you mean 'app.uas.routing.priority'?");
        assertThat(problem(Map.of("colour", "red"))).isEqualTo("unknown setting 'colour' (./switchboard run --help lists them)");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsSource(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "sip.t1=fast\n");
        assertThatThrownBy(() -> ContainerConfig.load(file, Map.of("SWITCHBOARD_DRACHTIO_PORT", "x"), Map.of("sip.cdr", "true")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "sip.t1: 'fast' is not a duration in milliseconds (e.g. 500) (in " + file + ")",
                        "drachtio.port: 'x' is not a port number (0..65535) (from SWITCHBOARD_DRACHTIO_PORT)",
                        "unknown setting 'sip.cdr'; did you mean 'sip.cdrs'?"));
    }

    @Test
    void theAdminListenerIsOnLoopbackUnlessATokenIsConfigured() {
        assertThat(ContainerConfig.of(Map.of()).get(ContainerConfig.ADMIN_LISTEN)).contains(ContainerConfig.DEFAULT_ADMIN_LISTEN);
        assertThat(ContainerConfig.of(Map.of("admin.listen", "off")).get(ContainerConfig.ADMIN_LISTEN)).isEmpty();
        assertThat(problem(Map.of("admin.listen", "0.0.0.0:8880"))).isEqualTo("admin.listen 0.0.0.0:8880 is not a loopback"
                + " address: set admin.token (a generated token is for loopback only)");
        assertThat(ContainerConfig.of(Map.of("admin.listen", "0.0.0.0:8880", "admin.token", "a-token-of-16-chars"))
                .get(ContainerConfig.ADMIN_LISTEN)).isPresent();
        assertThat(problem(Map.of("admin.token", "short"))).isEqualTo("admin.token is 5 characters: at least 16 are required");
        assertThat(problem(Map.of("admin.capture.ended", "-1"))).startsWith("admin.capture.ended: '-1' is not a whole number");
    }

    @Test
    void theSettingsInEffectMaskTheSecrets() {
        Map<String, String> shown = ContainerConfig.of(Map.of("drachtio.mode", "inbound", "drachtio.secret", "s3cret-value",
                "admin.token", "a-token-of-16-chars", "media.mode", "external", "media.servers", "10.0.0.5:8021:ClueCon",
                "sip.t1", "250")).effective();
        assertThat(shown).containsEntry("drachtio.secret", "***").containsEntry("admin.token", "***")
                .containsEntry("media.servers", "10.0.0.5:8021:***").containsEntry("sip.t1", "250")
                .containsEntry("admin.listen", "127.0.0.1:8880");
        assertThat(shown.toString()).doesNotContain("s3cret-value", "a-token-of-16-chars", "ClueCon");
    }

    @Test
    void anExternalServerNeedsASecret() throws Exception {
        assertThat(problem(Map.of("drachtio.mode", "inbound")))
                .isEqualTo("drachtio.secret (or SWITCHBOARD_DRACHTIO_SECRET) is required with an external drachtio-server (drachtio.mode inbound)");
        assertThatThrownBy(() -> Container.start(ContainerConfig.of(Map.of("drachtio.mode", "inbound", "drachtio.host", "192.0.2.1",
                "drachtio.secret", "cymru", "deployments.dir", Files.createTempDirectory("d").toString()))))
                .hasMessageContaining("only on loopback");
    }

    @Test
    void distanceCountsEdits() {
        assertThat(ContainerConfig.distance("sip.t1", "sip.t1")).isZero();
        assertThat(ContainerConfig.distance("sip.t2x", "sip.t1")).isEqualTo(2);
        assertThat(ContainerConfig.distance("", "abc")).isEqualTo(3);
        assertThat(ContainerConfig.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void helpListsEverySettingWithItsUnitAndDefault() {
        String help = Main.help();
        for (Setting<?> s : ContainerConfig.SETTINGS) {
            assertThat(help).contains("  " + s.key() + " ").contains(s.description()).contains(s.type().what() + "; default " + s.defaultText());
        }
        assertThat(help).contains("sip.t1", "a duration in milliseconds; default 500", "shutdown.drain", "a duration in seconds; default 30",
                "drachtio.port", "a port number (0..65535); default 9022", "app.NAME.routing.*", "--samples", "--config", "--set");
    }

    @Test
    void mediaIsEmbeddedByDefaultWithItsDeadlineAndSounds() {
        ContainerConfig c = ContainerConfig.of(Map.of());
        assertThat(c.get(ContainerConfig.MEDIA_MODE)).isEqualTo("embedded");
        assertThat(c.get(ContainerConfig.MEDIA_DEADLINE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(ContainerConfig.MEDIA_SOUNDS)).isEqualTo(Path.of("sounds"));
        assertThat(c.find(ContainerConfig.MEDIA_SERVERS)).isEmpty();
        assertThat(c.get(ContainerConfig.MEDIA_EVENTS)).isEmpty();
        assertThat(ContainerConfig.help()).contains("media.mode", "media.servers", "media.deadline", "media.sounds",
                "media.events", "a duration in seconds");
    }

    @Test
    void customMediaEventsAreSubclassesCommaSeparated() {
        ContainerConfig c = ContainerConfig.of(Map.of("media.events", "sofia::register, mod_audio_fork::transcription"));
        assertThat(c.get(ContainerConfig.MEDIA_EVENTS)).containsExactly("sofia::register", "mod_audio_fork::transcription");
        assertThat(problem(Map.of("media.events", "conference maintenance"))).contains("media.events",
                "bad event subclass conference maintenance");
    }

    @Test
    void externalMediaServersAreHostPortAndAPasswordThatMayHoldColons() {
        ContainerConfig c = ContainerConfig.of(Map.of("media.mode", "external",
                "media.servers", "10.0.0.5:8021:ClueCon:x, [fd00::6]:8022:s3cret"));
        assertThat(c.get(ContainerConfig.MEDIA_SERVERS)).extracting(Object::toString)
                .containsExactly("10.0.0.5:8021", "fd00::6:8022");
        assertThat(c.get(ContainerConfig.MEDIA_SERVERS)).extracting(Setting.EventSocket::password)
                .containsExactly("ClueCon:x", "s3cret");
    }

    @Test
    void aBadMediaServerIsNamedWithoutItsPassword() {
        String message = problem(Map.of("media.mode", "external", "media.servers", "10.0.0.5:80x21:t0ps3cret"));
        assertThat(message).contains("media.servers", "10.0.0.5:80x21:***", "host:port:password").doesNotContain("t0ps3cret");
        assertThat(problem(Map.of("media.mode", "external", "media.servers", "10.0.0.5:8021")))
                .contains("media.servers", "has no password");
    }

    @Test
    void externalMediaNeedsServersAndOnlyExternalMediaTakesThem() {
        assertThat(problem(Map.of("media.mode", "external"))).contains("media.servers is required with media.mode external");
        assertThat(problem(Map.of("media.servers", "10.0.0.5:8021:pw"))).contains("only used with media.mode external");
        assertThat(problem(Map.of("media.mode", "off"))).contains("media.mode", "'off'", "one of embedded, external, none");
        assertThat(problem(Map.of("media.deadline", "0"))).contains("media.deadline", "at least 1 s");
    }

    @Test
    void mediaOverTlsIsForExternalServersAndItsCaForTls() {
        ContainerConfig c = ContainerConfig.of(Map.of("media.mode", "external", "media.servers", "10.0.0.5:8021:pw",
                "media.tls", "true", "media.tls.ca", "/etc/ssl/esl-ca.pem"));
        assertThat(c.get(ContainerConfig.MEDIA_TLS)).isTrue();
        assertThat(c.find(ContainerConfig.MEDIA_TLS_CA)).contains(Path.of("/etc/ssl/esl-ca.pem"));
        assertThat(ContainerConfig.of(Map.of()).get(ContainerConfig.MEDIA_TLS)).isFalse();
        assertThat(problem(Map.of("media.tls", "true"))).contains("media.tls is only used with media.mode external");
        assertThat(problem(Map.of("media.mode", "external", "media.servers", "10.0.0.5:8021:pw",
                "media.tls.ca", "/etc/ssl/esl-ca.pem"))).contains("media.tls.ca is only used with media.tls true");
        assertThat(ContainerConfig.help()).contains("media.tls", "media.tls.ca");
    }

    @Test
    void aSecureListenPointWithoutACertificateNamesTheSettingsToSet(@TempDir Path dir) throws Exception {
        assertThat(problem(Map.of("sip.contacts", "sip:127.0.0.1:5060;transport=udp,sips:127.0.0.1:5061;transport=tls")))
                .isEqualTo("sip.contacts names the secure listen point sips:127.0.0.1:5061;transport=tls, which needs a"
                        + " certificate: set sip.tls.cert and sip.tls.key (PEM files; the key PKCS#8, e.g. from openssl"
                        + " pkcs8 -topk8 -nocrypt), or drop the tls/wss listen point");
        assertThat(problem(Map.of("sip.contacts", "sip:127.0.0.1:8443;transport=wss"))).contains("set sip.tls.cert and sip.tls.key");
        assertThat(problem(Map.of("sip.tls.cert", "server.crt"))).isEqualTo(
                "sip.tls.cert and sip.tls.key go together: set both (PEM certificate and PKCS#8 key), or neither");
        Path cert = Files.writeString(dir.resolve("server.crt"), "not read until the server starts");
        Path key = Files.writeString(dir.resolve("server.key"), "not read until the server starts");
        ContainerConfig config = ContainerConfig.of(Map.of("sip.contacts", "sip:127.0.0.1:5061;transport=tls",
                "sip.tls.cert", cert.toString(), "sip.tls.key", key.toString()));
        assertThat(config.sipTls()).hasValueSatisfying(tls -> assertThat(tls.privateKey()).contains(key));
        assertThat(ContainerConfig.of(Map.of()).sipTls()).isEmpty();
    }
}
