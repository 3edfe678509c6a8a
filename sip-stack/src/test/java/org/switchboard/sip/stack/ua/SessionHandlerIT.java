package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.poll.Poll;

/** A UAS whose SDP a {@link SessionHandler} decides: offers, 3pcc answers in the ACK, re-INVITEs, INFO, CANCEL. */
class SessionHandlerIT {

    UserAgent ua;
    DatagramSocket peer;
    final List<String> seen = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<SessionHandler.Answer> next;

    @BeforeEach
    void start() throws Exception {
        ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).build(),
                        TimerConfig.scaled(Duration.ofMillis(100))))
                .sessions(new SessionHandler() {
                    @Override
                    public CompletionStage<Answer> onInvite(Dialog dialog, SipRequest invite, IncomingMessage in) {
                        seen.add("invite " + invite.bodyLength());
                        dialog.ended().thenAccept(r -> seen.add("ended " + r));
                        if (next == null) {
                            throw new IllegalStateException("a handler bug");
                        }
                        return next;
                    }

                    @Override
                    public CompletionStage<Answer> onReinvite(Dialog dialog, SipRequest reinvite) {
                        seen.add("reinvite");
                        return CompletableFuture.completedFuture(Answer.accept("v=0 reinvite\r\n"));
                    }

                    @Override
                    public void onAck(Dialog dialog, SipRequest ack) {
                        seen.add("ack " + ack.bodyAsString());
                    }

                    @Override
                    public void onInfo(Dialog dialog, SipRequest info) {
                        seen.add("info " + info.bodyAsString());
                    }
                }).build());
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(200);
    }

    @AfterEach
    void stop() {
        peer.close();
        ua.close();
    }

    int port() {
        return ua.stack().transport().listenPoints().get(0).address().getPort();
    }

    void send(String method, int cseq, String toTag, String contentType, String body, String branch) throws Exception {
        String text = method + " sip:ms@127.0.0.1:" + port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";branch=z9hG4bK" + branch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=a1\r\n"
                + "To: <sip:ms@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: c1@127.0.0.1\r\nCSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:a@127.0.0.1:" + peer.getLocalPort() + ">\r\n"
                + (body.isEmpty() ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port())));
    }

    SipResponse response(String method, int status) throws Exception {
        return response(method, -1, status);
    }

    /** The first response of that method, CSeq number (-1: any) and status; retransmissions of others are skipped. */
    SipResponse response(String method, long cseq, int status) throws Exception {
        long deadline = System.currentTimeMillis() + 3000;
        while (System.currentTimeMillis() < deadline) {
            DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
            try {
                peer.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            SipMessage m = SipMessage.parse(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            if (m instanceof SipResponse r && r.cseq().method().equals(method) && r.status() == status
                    && (cseq < 0 || r.cseq().number() == cseq)) {
                return r;
            }
        }
        throw new AssertionError("no " + status + " to " + method);
    }

    void awaitSeen(String entry) throws InterruptedException {
        Poll.await(Duration.ofSeconds(5), "'" + entry + "' among " + seen, () -> seen.contains(entry));
    }

    @Test
    void theHandlersOfferGoesInThe200AndTheAnswerComesInTheAck() throws Exception {
        next = CompletableFuture.completedFuture(SessionHandler.Answer.accept("v=0 offer\r\n"));
        send("INVITE", 1, null, "", "", "i1");
        SipResponse ok = response("INVITE", 200);
        assertThat(ok.bodyAsString()).isEqualTo("v=0 offer\r\n");
        String tag = ok.to().tag().orElseThrow();
        send("ACK", 1, tag, "application/sdp", "v=0 answer\r\n", "a1");
        awaitSeen("ack v=0 answer\r\n");
        send("INVITE", 2, tag, "application/sdp", "v=0 new\r\n", "i2");
        assertThat(response("INVITE", 2, 200).bodyAsString()).isEqualTo("v=0 reinvite\r\n");
        send("INFO", 3, tag, "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", "n1");
        response("INFO", 200);
        awaitSeen("info Signal=5\r\nDuration=160\r\n");
        send("BYE", 4, tag, "", "", "b1");
        response("BYE", 200);
        awaitSeen("ended REMOTE_BYE");
    }

    @Test
    void aHandlerThatThrowsGets500() throws Exception {
        next = null;
        send("INVITE", 1, null, "application/sdp", "v=0 offer\r\n", "i1");
        response("INVITE", 500);
        awaitSeen("ended REJECTED");
    }

    @Test
    void aRejectionIsSentAndTheDialogEnds() throws Exception {
        next = CompletableFuture.completedFuture(SessionHandler.Answer.reject(488));
        send("INVITE", 1, null, "application/sdp", "v=0 offer\r\n", "i1");
        response("INVITE", 488);
        awaitSeen("ended REJECTED");
    }

    @Test
    void aCancelBeforeTheHandlerAnswersGets487AndTheLateAnswerIsDropped() throws Exception {
        next = new CompletableFuture<>();
        send("INVITE", 1, null, "application/sdp", "v=0 offer\r\n", "i1");
        awaitSeen("invite 11");
        send("CANCEL", 1, null, "", "", "i1");
        response("CANCEL", 200);
        response("INVITE", 487);
        awaitSeen("ended CANCELLED");
        next.complete(SessionHandler.Answer.accept("v=0 late\r\n"));
        assertThat(ua.stats().answered()).as("the late answer, dropped where it completed").isZero();
        DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
        peer.setSoTimeout(500);
        String after = "";
        try {
            while (true) {
                peer.receive(p);
                after += new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            }
        } catch (SocketTimeoutException e) {
            // quiet: nothing more came
        }
        assertThat(after).doesNotContain("SIP/2.0 200");
    }
}
