package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 7118 keep-alive on a raw socket: after the upgrade the server pings a quiet WebSocket connection, and closes
 * one whose peer sends nothing back, not even a pong, for three ping intervals.
 */
class WebSocketKeepAliveIT {

    private static final Duration PING = Duration.ofMillis(200);
    private TransportLayer layer;

    @AfterEach
    void stop() {
        layer.close();
    }

    @Test
    void pingsAQuietPeerAndClosesOneThatNeverAnswers() throws Exception {
        layer = TransportLayer.start(TransportConfig.builder().listen(Transport.WS, "127.0.0.1", 0)
                .webSocketPingInterval(PING).build(), new TransportListener() {
                    @Override
                    public void onMessage(IncomingMessage message) {
                    }

                    @Override
                    public void onMalformed(String reason, Transport transport, InetSocketAddress remote,
                                            Optional<IncomingMessage> request) {
                    }
                });
        InetSocketAddress address = layer.listenPoints().get(0).address();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout((int) (PING.toMillis() * 20));
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("sec-websocket-protocol: sip");

            long start = System.nanoTime();
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) {
                frames.write(b); // never answered: the server must give up on us
            }
            long closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
            byte[] bytes = frames.toByteArray();
            assertThat(bytes.length).as("at least one frame before the close").isPositive();
            assertThat(bytes[0] & 0x0f).as("the first frame is a ping").isEqualTo(0x9);
            assertThat(closedAfterMillis).as("closed after about three silent ping intervals")
                    .isBetween(PING.toMillis() * 2, PING.toMillis() * 15);
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
