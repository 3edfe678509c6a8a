package org.switchboard.drachtio.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;

/** The client against byte-exact recordings of drachtio-server v0.9.10 with a drachtio-srf app. */
class DrachtioClientTranscriptTest {

    private static final class Recorder implements DrachtioListener {
        final BlockingQueue<DrachtioFrame> frames = new LinkedBlockingQueue<>();
        final CountDownLatch disconnected = new CountDownLatch(1);

        @Override
        public void onFrame(DrachtioFrame frame) {
            frames.add(frame);
        }

        @Override
        public void onDisconnect(String reason) {
            disconnected.countDown();
        }

        /** The next {@code sip} frame carrying a message that starts with {@code start}, skipping the others. */
        DrachtioFrame nextSip(String start) throws InterruptedException {
            while (true) {
                DrachtioFrame f = frames.poll(5, TimeUnit.SECONDS);
                assertThat(f).as("a sip frame with %s", start).isNotNull();
                if (f.keyword().equals("sip") && f.sipMessage().orElse("").startsWith(start)) {
                    return f;
                }
            }
        }
    }

    @Test
    void answersAnIncomingCallAsDrachtioSrfDid() throws Exception {
        try (DrachtioTranscriptPeer server = new DrachtioTranscriptPeer("drachtio-i-uas-invite-cdr.jsonl")) {
            Recorder r = new Recorder();
            DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().port(server.port()).reconnect(false).build(), r)
                    .get(5, TimeUnit.SECONDS);
            assertThat(client.serverInfo()).hasValueSatisfying(ok -> assertThat(ok.token(5)).startsWith("v0.9.10"));
            client.route("cdr:attempt").get(5, TimeUnit.SECONDS);
            client.route("cdr:start");
            client.route("cdr:stop");
            client.route("INVITE").get(5, TimeUnit.SECONDS);
            DrachtioFrame invite = r.nextSip("INVITE ");
            assertThat(invite.sipMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("INVITE "));
            assertThat(invite.meta()).hasValueSatisfying(meta -> assertThat(meta.source()).isEqualTo("network"));
            String ok = recordedSip("drachtio-i-uas-invite-cdr.jsonl", "SIP/2.0 200 OK", "1 INVITE");
            DrachtioFrame sent = client.sendSip(invite.transactionId(), "", Optional.empty(), ok).get(5, TimeUnit.SECONDS);
            assertThat(sent.dialogId()).isEqualTo("1-4037@127.0.0.1;from-tag=4037SIPpTag001");
            assertThat(sent.sipMessage()).hasValueSatisfying(m -> assertThat(m).contains("Contact:").contains(";tag="));
            DrachtioFrame ack = r.nextSip("ACK ");
            assertThat(ack.dialogId()).isEqualTo(sent.dialogId());
            DrachtioFrame bye = r.nextSip("BYE ");
            assertThat(bye.dialogId()).isEqualTo(sent.dialogId());
            String byeOk = recordedSip("drachtio-i-uas-invite-cdr.jsonl", "SIP/2.0 200 OK", "2 BYE");
            client.sendSip(bye.transactionId(), "", Optional.empty(), byeOk).get(5, TimeUnit.SECONDS);
            server.await();
            assertThat(server.mismatches).isEmpty();
            assertThat(r.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
            client.close();
        }
    }

    @Test
    void aRefusedSecretFailsTheConnectAndIsNotRetried() throws Exception {
        try (DrachtioTranscriptPeer server = new DrachtioTranscriptPeer("drachtio-j-bad-secret.jsonl")) {
            DrachtioClientConfig config = DrachtioClientConfig.builder().port(server.port()).secret("wrongsecret")
                    .reconnectDelays(Duration.ofMillis(20), Duration.ofMillis(50)).build();
            assertThatThrownBy(() -> DrachtioClient.connect(config, new Recorder()).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DrachtioException.AuthenticationFailed.class)
                    .hasMessageNotContaining("wrongsecret");
            server.await();
            assertThat(server.mismatches).isEmpty();
            assertThat(server.received).hasSize(1);
        }
    }

    /** The SIP part of the app's recorded frame whose message starts with {@code start} and has that CSeq. */
    private static String recordedSip(String transcript, String start, String cseq) {
        byte[] app = org.switchboard.drachtio.wire.DrachtioCodecTest.side(transcript, "c2s");
        for (DrachtioFrame f : org.switchboard.drachtio.wire.DrachtioCodecTest.decode(app, null)) {
            if (f.sipMessage().isPresent() && f.sipMessage().get().startsWith(start)
                    && f.sipMessage().get().toLowerCase().contains("cseq: " + cseq.toLowerCase())) {
                return f.sipMessage().get();
            }
        }
        throw new AssertionError("no recorded " + start + " for " + cseq);
    }
}
