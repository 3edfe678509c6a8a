package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.testing.tls.TestCertificates;
import org.switchboard.testing.tls.TestCertificates.Identity;

/**
 * RFC 5923 over TLS: a server sends its requests for a client's sent-by back over the connection the client opened
 * when the client's Via has {@code alias} and the client proved with a verified certificate who it is; otherwise
 * it opens a connection of its own to the sent-by address.
 */
class TlsConnectionReuseIT {

    @TempDir
    static Path dir;
    static Path ca;
    static Identity server;
    static Identity client;

    private final List<TransportLayer> layers = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.authority(dir);
        server = TestCertificates.localhost(dir, "server");
        client = TestCertificates.localhost(dir, "client");
    }

    @AfterEach
    void stop() {
        layers.forEach(TransportLayer::close);
    }

    private TransportLayer layer(Identity identity, TlsConfig.ClientAuth clientAuth, BlockingQueue<IncomingMessage> into) {
        TransportLayer layer = TransportLayer.start(TransportConfig.builder().listen(Transport.TLS, "127.0.0.1", 0)
                .tls(TlsConfig.builder().pem(identity.certificate(), identity.privateKey()).trustedCertificates(ca)
                        .clientAuth(clientAuth).build()).build(), new TransportListener() {
                    @Override
                    public void onMessage(IncomingMessage message) {
                        into.add(message);
                    }

                    @Override
                    public void onMalformed(String reason, Transport transport, InetSocketAddress remote,
                                            Optional<IncomingMessage> request) {
                    }
                });
        layers.add(layer);
        return layer;
    }

    private static SipMessage options(String via, String callId) {
        return SipMessage.parse(("OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: " + via + "\r\nMax-Forwards: 70\r\n"
                + "To: <sip:x@127.0.0.1>\r\nFrom: <sip:y@127.0.0.1>;tag=1\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "client certificates {0}, Via {1}: reused {2}")
    @CsvSource({"REQUIRE, ;alias, true", "REQUIRE, '', false", "NONE, ;alias, false"})
    void reusesTheClientsConnectionOnlyForAVerifiedAlias(TlsConfig.ClientAuth auth, String alias, boolean reused)
            throws Exception {
        BlockingQueue<IncomingMessage> atClient = new LinkedBlockingQueue<>();
        BlockingQueue<IncomingMessage> atServer = new LinkedBlockingQueue<>();
        TransportLayer clientLayer = layer(client, TlsConfig.ClientAuth.NONE, atClient);
        TransportLayer serverLayer = layer(server, auth, atServer);
        InetSocketAddress clientListens = clientLayer.listenPoints().get(0).address();
        InetSocketAddress serverListens = serverLayer.listenPoints().get(0).address();

        clientLayer.send(options("SIP/2.0/TLS 127.0.0.1:" + clientListens.getPort() + ";branch=z9hG4bKa1" + alias, "c1"),
                new Destination(Transport.TLS, serverListens)).get(10, TimeUnit.SECONDS);
        assertThat(atServer.poll(10, TimeUnit.SECONDS)).isNotNull();

        serverLayer.send(options("SIP/2.0/TLS 127.0.0.1:" + serverListens.getPort() + ";branch=z9hG4bKb1", "s1"),
                new Destination(Transport.TLS, clientListens)).get(10, TimeUnit.SECONDS);
        IncomingMessage back = atClient.poll(10, TimeUnit.SECONDS);
        assertThat(back).isNotNull();
        // over the client's own connection the request arrives at its ephemeral port, not at its listen port
        assertThat(back.local().getPort() != clientListens.getPort()).as("came back over the client's connection")
                .isEqualTo(reused);
    }
}
