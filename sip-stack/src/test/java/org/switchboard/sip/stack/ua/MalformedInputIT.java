package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;

/** Garbage over UDP and TCP is dropped and counted; the UAS keeps answering well-formed requests. */
class MalformedInputIT {

    private UserAgent ua;

    @BeforeEach
    void start() {
        ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0)
                        .listen(Transport.TCP, "127.0.0.1", 0).symmetricResponses(true).build(),
                        TimerConfig.scaled(Duration.ofMillis(20))))
                .build());
    }

    @AfterEach
    void stop() {
        ua.close();
    }

    private InetSocketAddress address(Transport transport) {
        return ua.stack().transport().listenPoints().stream().filter(p -> p.transport() == transport)
                .findFirst().orElseThrow().address();
    }

    private static String options(String branch) {
        return "OPTIONS sip:uas@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK" + branch + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:uas@127.0.0.1>\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\n"
                + "Call-ID: " + branch + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void garbageIsCountedAndTheStackKeepsAnswering() throws Exception {
        Random random = new Random(7);
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(20_000); // a deadline: the 2,000 junk datagrams come first and a loaded machine reads them slowly
            for (int i = 0; i < 2000; i++) {
                byte[] junk = new byte[1 + random.nextInt(1500)];
                random.nextBytes(junk);
                udp.send(new DatagramPacket(junk, junk.length, address(Transport.UDP)));
            }
            for (int i = 0; i < 20; i++) {
                // broken in the header section: no colon, so not even a 400 is possible
                byte[] broken = options("g" + i).replace("Max-Forwards: 70", "Max-Forwards 70").getBytes(StandardCharsets.UTF_8);
                udp.send(new DatagramPacket(broken, broken.length, address(Transport.UDP)));
            }
            byte[] good = options("ok-udp").getBytes(StandardCharsets.UTF_8);
            udp.send(new DatagramPacket(good, good.length, address(Transport.UDP)));
            byte[] buffer = new byte[4096];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            udp.receive(reply);
            assertThat(new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8)).startsWith("SIP/2.0 200 OK");
        }
        // one TCP connection per burst of garbage: each is closed, the listener is not
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket(address(Transport.TCP).getAddress(), address(Transport.TCP).getPort())) {
                byte[] junk = new byte[1 + random.nextInt(20_000)];
                random.nextBytes(junk);
                OutputStream out = s.getOutputStream();
                try {
                    out.write(junk);
                    out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException closedByServer) {
                    // the server may close first; that is the point
                }
            }
        }
        try (Socket s = new Socket(address(Transport.TCP).getAddress(), address(Transport.TCP).getPort())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(options("ok-tcp").replace("SIP/2.0/UDP", "SIP/2.0/TCP").getBytes(StandardCharsets.UTF_8));
            byte[] head = s.getInputStream().readNBytes(15);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("SIP/2.0 200 OK\r");
        }
        assertThat(ua.stack().transport().stats().malformedInputs()).isGreaterThanOrEqualTo(2000);
    }
}
