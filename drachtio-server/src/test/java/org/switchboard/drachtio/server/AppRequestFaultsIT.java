package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.client.DrachtioException;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;

/** A request of an app the server cannot send costs that request only: the app's connection and its other work go on. */
class AppRequestFaultsIT {

    /** A server listening for SIP on TCP only. */
    private static DrachtioServer tcpOnlyServer() {
        return DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(TransportConfig.builder().listen(Transport.TCP, "127.0.0.1", 0).build(),
                        TimerConfig.DEFAULTS))
                .build());
    }

    @Test
    void aRequestOverATransportTheServerDoesNotListenOnIsRefusedAndTheConnectionStays() throws Exception {
        DrachtioServer server = tcpOnlyServer();
        try (DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), frame -> { }).get(10, TimeUnit.SECONDS)) {

            assertThatThrownBy(() -> client.sendSip("", "", Optional.empty(),
                    "OPTIONS sip:nobody@127.0.0.1:9;transport=udp SIP/2.0\r\n\r\n").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DrachtioException.Refused.class)
                    .hasMessageContaining("transport not available");

            assertThat(client.isConnected()).isTrue();
            assertThat(client.ping().get(10, TimeUnit.SECONDS).isOk()).isTrue();
            assertThat(client.request("route", List.of("invite"), Optional.empty()).get(10, TimeUnit.SECONDS).isOk()).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void aRequestInADialogWhoseTargetNeedsATransportTheServerLacksIsRefusedAndTheConnectionStays() throws Exception {
        DrachtioServer server = tcpOnlyServer();
        CompletableFuture<DrachtioFrame> invite = new CompletableFuture<>();
        try (DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), frame -> {
                    if (frame.keyword().equals("sip") && frame.sipMessage().orElse("").startsWith("INVITE")) {
                        invite.complete(frame);
                    }
                }).get(10, TimeUnit.SECONDS);
             Socket caller = new Socket(InetAddress.getLoopbackAddress(), server.sipListenPoints().get(0).address().getPort())) {
            client.route("invite").get(10, TimeUnit.SECONDS);
            // a caller on TCP whose Contact asks for UDP, which this server does not listen on
            caller.getOutputStream().write(("INVITE sip:service@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-faults-1\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:caller@127.0.0.1>;tag=f1\r\nTo: <sip:service@127.0.0.1>\r\n"
                    + "Call-ID: app-request-faults-1\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@127.0.0.1:9;transport=udp>\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String txn = invite.get(10, TimeUnit.SECONDS).transactionId();
            DrachtioFrame answered = client.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n").get(10, TimeUnit.SECONDS);
            String dialog = answered.dialogId();
            caller.close(); // no connection left to reuse: the INFO needs the Contact's transport

            // sent (a transport error then comes back as a response) or refused: either way the app keeps its connection
            client.sendSip("", dialog, Optional.empty(), "INFO sip:caller@127.0.0.1 SIP/2.0\r\n\r\n")
                    .handle((ok, e) -> null).get(10, TimeUnit.SECONDS);

            assertThat(client.isConnected()).as("the app's connection").isTrue();
            assertThat(client.ping().get(10, TimeUnit.SECONDS).isOk()).isTrue();
        } finally {
            server.close();
        }
    }

    /**
     * The reported fault: a B2BUA's second leg goes out over TCP, and the callee's 200 names a Contact without a
     * transport, which means UDP. On a server without UDP the app's ACK failed inside the server ("no UDP listen
     * point", logged with a stack trace) and a drachtio-srf app that does not catch a refused ACK dies of it, so its
     * connection closes. The ACK and BYE now go over the transport the dialog began on, as drachtio-server sends them.
     */
    @Test
    void inDialogRequestsToAContactWithoutTransportGoOverTheDialogsTransport() throws Exception {
        try (Leg leg = Leg.answered("")) {
            DrachtioFrame ack = leg.client.sendSip("", leg.dialog, Optional.empty(), "ACK " + leg.target + " SIP/2.0\r\n\r\n")
                    .get(10, TimeUnit.SECONDS);
            assertThat(ack.isOk()).as(ack.toString()).isTrue();
            assertThat(((SipRequest) Sip.read(leg.socket.getInputStream())).method()).isEqualTo("ACK");

            leg.client.sendSip("", leg.dialog, Optional.empty(), "BYE " + leg.target + " SIP/2.0\r\n\r\n")
                    .get(10, TimeUnit.SECONDS);
            SipRequest bye = (SipRequest) Sip.read(leg.socket.getInputStream());
            assertThat(bye.method()).isEqualTo("BYE");
            leg.socket.getOutputStream().write(SipResponse.forRequest(bye, 200).build().toBytes());
            assertThat(leg.client.isConnected()).as("the app's connection").isTrue();
        }
    }

    /** A Contact that asks for UDP by name: the ACK is refused as the other in-dialog requests are, and no more. */
    @Test
    void theAppsAckTowardATransportTheServerLacksIsRefusedAndTheConnectionStays() throws Exception {
        try (Leg leg = Leg.answered(";transport=udp")) {
            assertThatThrownBy(() -> leg.client.sendSip("", leg.dialog, Optional.empty(),
                    "ACK " + leg.target + " SIP/2.0\r\n\r\n").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(DrachtioException.Refused.class)
                    .hasMessageContaining("transport not available");

            assertThat(leg.client.isConnected()).as("the app's connection").isTrue();
            assertThat(leg.client.ping().get(10, TimeUnit.SECONDS).isOk()).isTrue();
        }
    }

    /** A TCP-only server, an app on it, and the second leg of its B2BUA, answered by a callee on a plain socket. */
    private record Leg(DrachtioServer server, DrachtioClient client, ServerSocket callee, Socket socket, String target,
                       String dialog) implements AutoCloseable {

        /** The app's INVITE over TCP, answered 200 with a Contact ending in {@code contactParameters}. */
        static Leg answered(String contactParameters) throws Exception {
            DrachtioServer server = tcpOnlyServer();
            CompletableFuture<DrachtioFrame> ok = new CompletableFuture<>();
            ServerSocket callee = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            callee.setSoTimeout(10_000);
            DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                    .port(server.adminAddress().getPort()).build(), frame -> {
                        if (frame.keyword().equals("sip") && frame.sipMessage().orElse("").startsWith("SIP/2.0 200")) {
                            ok.complete(frame);
                        }
                    }).get(10, TimeUnit.SECONDS);
            String target = "sip:callee@127.0.0.1:" + callee.getLocalPort();
            client.sendSip("", "", Optional.empty(), "INVITE " + target + ";transport=tcp SIP/2.0\r\n\r\n")
                    .get(10, TimeUnit.SECONDS);
            Socket socket = callee.accept();
            socket.setSoTimeout(10_000);
            SipRequest invite = (SipRequest) Sip.read(socket.getInputStream());
            socket.getOutputStream().write(SipResponse.forRequest(invite, 200)
                    .setHeader(HeaderNames.TO, invite.to().withTag("callee-1").toString())
                    .addHeader(HeaderNames.CONTACT, "<" + target + contactParameters + ">").build().toBytes());
            return new Leg(server, client, callee, socket, target, ok.get(10, TimeUnit.SECONDS).dialogId());
        }

        @Override
        public void close() throws IOException {
            client.close();
            socket.close();
            callee.close();
            server.close();
        }
    }
}
