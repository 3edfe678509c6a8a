package org.switchboard.drachtio.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioCodecTest;
import org.switchboard.drachtio.wire.DrachtioFrame;

/** Listen mode: the server connects to the app, the app authenticates, then the routed call arrives on that connection. */
class DrachtioListenServerTest {

    @Test
    void theServerConnectsTheAppAuthenticatesAndTheCallArrives() throws Exception {
        BlockingQueue<DrachtioFrame> frames = new LinkedBlockingQueue<>();
        CompletableFuture<DrachtioClient> connected = new CompletableFuture<>();
        DrachtioClientConfig config = DrachtioClientConfig.builder().tags(java.util.List.of("conf-app")).build();
        try (DrachtioListenServer app = DrachtioListenServer.listen(new InetSocketAddress("127.0.0.1", 0), config,
                () -> frames::add, connected::complete);
             Socket server = new Socket(InetAddress.getLoopbackAddress(), app.address().getPort())) {
            server.setSoTimeout(5000);
            // the app speaks first, as in inbound mode
            DrachtioFrame auth = DrachtioClientGuaranteesTest.read(server);
            assertThat(auth.keyword()).isEqualTo("authenticate");
            assertThat(auth.token(2)).isEqualTo("cymru");
            assertThat(auth.token(3)).isEqualTo("conf-app");
            DrachtioClientGuaranteesTest.write(server, DrachtioFrame.of("s-1", "response", auth.id(), "OK",
                    "udp/127.0.0.1:5060", "v0.9.10", "udp/127.0.0.1:5060"));
            DrachtioClient session = connected.get(5, TimeUnit.SECONDS);
            // the parked INVITE, as drachtio-server delivered it in a recorded session
            DrachtioFrame invite = DrachtioCodecTest.decode(DrachtioCodecTest.side("drachtio-i-uas-invite-cdr.jsonl", "s2c"), null)
                    .stream().filter(f -> f.keyword().equals("sip")).findFirst().orElseThrow();
            DrachtioClientGuaranteesTest.write(server, invite);
            DrachtioFrame got = frames.poll(5, TimeUnit.SECONDS);
            assertThat(got).isEqualTo(invite);
            session.sendSip(got.transactionId(), "", Optional.empty(), "SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n");
            DrachtioFrame answer = DrachtioClientGuaranteesTest.read(server);
            assertThat(answer.keyword()).isEqualTo("sip");
            assertThat(answer.token(2)).isEqualTo(invite.transactionId());
            assertThat(answer.sipMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("SIP/2.0 486 Busy Here"));
            session.close();
        }
    }
}
