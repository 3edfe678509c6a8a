package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * A TLS server with a certificate per host name: each client, checking the certificate against the name it asked
 * for by SNI, gets the one for that name, and a client that sends no name (it connects to an IP) or an unknown one
 * gets the default identity. Every call is made by a fresh client, since connections are shared per address.
 */
class TlsServerNameIT {

    @TempDir
    static Path dir;
    static Path ca;
    static Identity byDefault;
    static UserAgent server;

    @BeforeAll
    static void start() {
        ca = TestCertificates.authority(dir);
        byDefault = TestCertificates.localhost(dir, "default");
        Identity alice = TestCertificates.forHost(dir, "alice", "alice.test");
        Identity bob = TestCertificates.forHost(dir, "bob", "sip.bob.test");
        server = agent(TlsConfig.builder().pem(byDefault.certificate(), byDefault.privateKey())
                .sniIdentity("Alice.test", alice.certificate(), alice.privateKey())
                .sniIdentity("*.bob.test", bob.certificate(), bob.privateKey())
                .build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static UserAgent agent(TlsConfig tls) {
        return UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.TLS, "127.0.0.1", 0).tls(tls).build(),
                        TimerConfig.scaled(Duration.ofMillis(100))))
                .build());
    }

    @Test
    void aClientAskingForANameGetsThatNamesCertificate() throws Exception {
        callAs("alice.test");
    }

    @Test
    void aWildcardNameCoversTheNamesUnderIt() throws Exception {
        callAs("sip.bob.test");
    }

    @Test
    void aClientSendingNoNameGetsTheDefaultIdentity() throws Exception {
        callAs("127.0.0.1"); // no SNI for an IP literal; the default certificate names 127.0.0.1
    }

    @Test
    void aClientAskingForAnotherNameGetsTheDefaultIdentity() throws Exception {
        // the default certificate names localhost and 127.0.0.1, not carol.test: the client's check refuses it
        assertThatThrownBy(() -> callAs("carol.test")).isInstanceOf(ExecutionException.class).satisfies(failure -> {
            List<String> why = new ArrayList<>();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                why.add(String.valueOf(t.getMessage()));
            }
            assertThat(why).anySatisfy(m -> assertThat(m).contains("TLS handshake").contains("does not name the host"));
        });
    }

    @Test
    void refusesSniIdentitiesWithoutADefaultAndNamesThatAreNotDnsNames() {
        Identity alice = TestCertificates.forHost(dir, "alice2", "alice.test");
        assertThatThrownBy(() -> TlsConfig.builder().sniIdentity("alice.test", alice.certificate(), alice.privateKey())
                .build()).hasMessageContaining("need a default identity");
        assertThatThrownBy(() -> TlsConfig.builder().sniIdentity("127.0.0.1", alice.certificate(), alice.privateKey()))
                .hasMessageContaining("not a DNS name");
    }

    /** A call from a fresh client that trusts the test CA, connecting to the server as {@code host}. */
    private static void callAs(String host) throws Exception {
        long answered = server.stats().answered();
        // the client listens over TLS too (its Contact), with the default identity
        try (UserAgent client = agent(TlsConfig.builder().pem(byDefault.certificate(), byDefault.privateKey())
                .trustedCertificates(ca).build())) {
            int port = server.stack().transport().listenPoints().get(0).address().getPort();
            // the address keeps the name without a DNS lookup: the name is sent as SNI and checked in the certificate
            InetAddress address = InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1});
            Destination destination = new Destination(Transport.TLS, new InetSocketAddress(address, port));
            Dialog call = client.invite(SipUri.parse("sips:service@" + host + ":" + port), destination, "v=0\r\n")
                    .get(10, TimeUnit.SECONDS);
            call.bye().get(5, TimeUnit.SECONDS);
            Poll.await(Duration.ofSeconds(5), "the server answered the call", () -> server.stats().answered() == answered + 1);
            assertThat(client.stack().transport().stats().tlsHandshakeFailures()).isZero();
        }
    }
}
