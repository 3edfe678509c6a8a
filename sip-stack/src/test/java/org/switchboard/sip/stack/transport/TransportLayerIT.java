package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** Listeners on IPv4 and IPv6, connection reuse and idle close, against plain sockets. */
class TransportLayerIT {

    private final BlockingQueue<IncomingMessage> received = new LinkedBlockingQueue<>();
    private TransportLayer layer;

    @AfterEach
    void stop() {
        if (layer != null) {
            layer.close();
        }
    }

    private TransportLayer start(TransportConfig config) {
        layer = TransportLayer.start(config, new TransportListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                received.add(message);
            }

            @Override
            public void onMalformed(String reason, Transport transport, InetSocketAddress remote,
                                    Optional<IncomingMessage> request) {
            }
        });
        return layer;
    }

    private static String options(String via) {
        return "OPTIONS sip:x@localhost SIP/2.0\r\nVia: " + via + "\r\nMax-Forwards: 70\r\nTo: <sip:x@localhost>\r\n"
                + "From: <sip:y@localhost>;tag=1\r\nCall-ID: t1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    /** A retransmission timer can fire while the stack stops: its send fails, and nothing is logged at ERROR. */
    @Test
    void aSendAfterCloseFailsAtOnceAndLogsNoError() throws Exception {
        start(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build());
        SipMessage message = SipMessage.parse(options("SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKclosed"));
        Destination to = new Destination(Transport.UDP, new InetSocketAddress("127.0.0.1", 5999));
        layer.close();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        try {
            CompletableFuture<Void> sent = layer.send(message, to);
            assertThat(sent).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(TransportException.class).withMessageContaining("closed");
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @Test
    void theTapSeesWhatIsReadAndWrittenWithItsPeer() throws Exception {
        start(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build());
        BlockingQueue<String> tapped = new LinkedBlockingQueue<>();
        layer.tap(new MessageTap() {
            @Override
            public void received(SipMessage message, Transport transport, InetSocketAddress remote) {
                tapped.add("in " + transport + " " + remote.getPort() + " " + message.startLine());
            }

            @Override
            public void sent(SipMessage message, Transport transport, InetSocketAddress remote) {
                tapped.add("out " + transport + " " + remote.getPort() + " " + message.startLine());
            }
        });
        ListenPoint p = layer.listenPoints().get(0);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(3000);
            byte[] bytes = options("SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";branch=z9hG4bKtap").getBytes(StandardCharsets.UTF_8);
            peer.send(new DatagramPacket(bytes, bytes.length, p.address()));
            IncomingMessage in = received.poll(3, TimeUnit.SECONDS);
            assertThat(in).isNotNull();
            layer.sendResponse(SipResponse.forRequest((SipRequest) in.message(), 200).build(), in).get(3, TimeUnit.SECONDS);
            peer.receive(new DatagramPacket(new byte[2048], 2048));
            assertThat(List.of(tapped.poll(3, TimeUnit.SECONDS), tapped.poll(3, TimeUnit.SECONDS))).containsExactly(
                    "in UDP " + peer.getLocalPort() + " OPTIONS sip:x@localhost SIP/2.0",
                    "out UDP " + peer.getLocalPort() + " SIP/2.0 200 OK");
        }
    }

    @Test
    void refusesSecureDestinationsWithoutATlsConfiguration() {
        start(TransportConfig.builder().listen(Transport.TCP, "127.0.0.1", 0).build());
        SipMessage message = SipMessage.parse(options("SIP/2.0/TLS 127.0.0.1:1;branch=z9hG4bKtls").getBytes(StandardCharsets.UTF_8));
        for (Transport secure : List.of(Transport.TLS, Transport.WSS)) {
            assertThat(layer.send(message, new Destination(secure, new InetSocketAddress("127.0.0.1", 5061))))
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat().withMessageContaining("no TLS configuration");
        }
    }

    @Test
    void listensOnIpv4AndIpv6OverUdpAndTcp() throws Exception {
        start(TransportConfig.builder()
                .listen(Transport.UDP, "127.0.0.1", 0).listen(Transport.UDP, "::1", 0)
                .listen(Transport.TCP, "127.0.0.1", 0).listen(Transport.TCP, "::1", 0).build());
        List<ListenPoint> points = layer.listenPoints();
        assertThat(points).hasSize(4);
        for (ListenPoint p : points) {
            String via = "SIP/2.0/" + p.transport() + " 192.0.2.7:1;branch=z9hG4bK" + p.address().getPort();
            byte[] bytes = options(via).getBytes(StandardCharsets.UTF_8);
            if (p.transport() == Transport.UDP) {
                try (DatagramSocket s = new DatagramSocket(0, p.address().getAddress())) {
                    s.send(new DatagramPacket(bytes, bytes.length, p.address()));
                }
            } else {
                try (Socket s = new Socket(p.address().getAddress(), p.address().getPort())) {
                    s.getOutputStream().write(bytes);
                    IncomingMessage in = received.poll(3, TimeUnit.SECONDS);
                    assertThat(in).as("message over %s", p).isNotNull();
                    assertThat(in.transport()).isEqualTo(Transport.TCP);
                    continue;
                }
            }
            IncomingMessage in = received.poll(3, TimeUnit.SECONDS);
            assertThat(in).as("message over %s", p).isNotNull();
            assertThat(in.local()).isEqualTo(p.address());
            // the sent-by host/port is not where it came from: received is stamped on
            assertThat(in.message().topVia().received()).isPresent();
        }
        assertThat(points).anyMatch(p -> p.hostForUri().equals("[0:0:0:0:0:0:0:1]"));
    }

    @Test
    void reusesOneConnectionPerRemoteAndClosesItWhenIdle() throws Exception {
        start(TransportConfig.builder().listen(Transport.TCP, "127.0.0.1", 0)
                .tcpIdleTimeout(Duration.ofMillis(600)).build());
        try (ServerSocket peer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(3000);
            Destination d = new Destination(Transport.TCP, new InetSocketAddress("127.0.0.1", peer.getLocalPort()));
            SipMessage m = SipRequest.builder("OPTIONS", "sip:x@127.0.0.1").addHeader("Via", "SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKr")
                    .addHeader("To", "<sip:x@localhost>").addHeader("From", "<sip:y@localhost>;tag=1")
                    .addHeader("Call-ID", "r").addHeader("CSeq", "1 OPTIONS").build();
            layer.send(m, d).get(3, TimeUnit.SECONDS);
            layer.send(m, d).get(3, TimeUnit.SECONDS);
            try (Socket s = peer.accept()) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                byte[] one = m.toBytes();
                byte[] both = in.readNBytes(one.length * 2);
                assertThat(both).hasSize(one.length * 2);
                peer.setSoTimeout(300);
                assertThat(acceptOrNothing(peer)).as("no second connection").isFalse();
                // idle close: the stream ends after about 600 ms without traffic
                s.setSoTimeout(3000);
                long start = System.nanoTime();
                assertThat(in.read()).isEqualTo(-1);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
            }
        }
    }

    @Test
    void responseGoesBackOverTheRequestsConnection() throws Exception {
        start(TransportConfig.builder().listen(Transport.TCP, "127.0.0.1", 0).build());
        ListenPoint p = layer.listenPoints().get(0);
        try (Socket s = new Socket(p.address().getAddress(), p.address().getPort())) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(options("SIP/2.0/TCP 192.0.2.9:5060;branch=z9hG4bKc").getBytes(StandardCharsets.UTF_8));
            IncomingMessage in = received.poll(3, TimeUnit.SECONDS);
            SipResponse ok = SipResponse.forRequest((SipRequest) in.message(), 200).build();
            layer.sendResponse(ok, in).get(3, TimeUnit.SECONDS);
            byte[] back = s.getInputStream().readNBytes(ok.toBytes().length);
            assertThat(new String(back, StandardCharsets.UTF_8)).startsWith("SIP/2.0 200 OK");
        }
    }

    private static boolean acceptOrNothing(ServerSocket server) throws IOException {
        try (Socket ignored = server.accept()) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
