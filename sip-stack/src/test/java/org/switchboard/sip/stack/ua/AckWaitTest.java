package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transaction.TransactionUser;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.time.ManualScheduler;

/**
 * The wait for the ACK of a 2xx over TCP, on virtual time: RFC 3261 resends the 2xx whatever the transport, as
 * drachtio-server does not ({@link AckWait.Resend#UNRELIABLE_ONLY}); both give up after 64 T1.
 */
class AckWaitTest {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)");

    final ManualScheduler timers = new ManualScheduler();
    final BlockingQueue<ServerTransaction> requests = new LinkedBlockingQueue<>();
    final AtomicInteger timedOut = new AtomicInteger();
    SipStack stack;
    Socket peer;

    @BeforeEach
    void start() throws Exception {
        stack = SipStack.start(new SipStackConfig(TransportConfig.builder().listen(Transport.TCP, "127.0.0.1", 0).build(),
                TimerConfig.DEFAULTS), new TransactionUser() {
                    @Override
                    public void onRequest(ServerTransaction transaction) {
                        requests.add(transaction);
                    }

                    @Override
                    public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
                    }

                    @Override
                    public void onAck(IncomingMessage ack) {
                    }

                    @Override
                    public void onStrayResponse(IncomingMessage response) {
                    }
                });
        peer = new Socket(InetAddress.getLoopbackAddress(), stack.transport().listenPoints().get(0).address().getPort());
        peer.setSoTimeout(5000);
    }

    @AfterEach
    void stop() throws IOException {
        peer.close();
        stack.close();
    }

    @Test
    void overTcpThe2xxGoesOutAgainAsTheRfcAsks() throws Exception {
        ServerTransaction tx = invite();
        AckWait wait = answer(tx, AckWait.Resend.ANY_TRANSPORT);
        timers.advance(Duration.ofMillis(500));
        assertThat(next().status()).as("the 2xx again at T1").isEqualTo(200);
        wait.acknowledge();
        assertThat(timers.pending()).as("nothing left to do after the ACK").isZero();
        timers.advance(Duration.ofSeconds(64));
        assertThat(timedOut).hasValue(0);
    }

    @Test
    void overTcpTheDrachtioWaySendsNothingMoreAndStillGivesUpAfter64T1() throws Exception {
        ServerTransaction tx = invite();
        answer(tx, AckWait.Resend.UNRELIABLE_ONLY);
        timers.advance(Duration.ofMillis(31_999));
        assertThat(timedOut).hasValue(0);
        timers.advance(Duration.ofMillis(1));
        assertThat(timedOut).hasValue(1);
        assertThat(timers.pending()).isZero();
        // TCP keeps order: a 2xx sent again meanwhile would be read before this marker
        stack.transport().sendResponse(SipResponse.forRequest(tx.request(), 183).build(), tx.incoming());
        assertThat(next().status()).as("the first message after the 200").isEqualTo(183);
    }

    private ServerTransaction invite() throws Exception {
        int port = peer.getLocalPort();
        String invite = "INVITE sip:ms@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + port + ";branch=z9hG4bKtcp1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=a1\r\nTo: <sip:ms@127.0.0.1>\r\n"
                + "Call-ID: ackwait@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1:" + port + ";transport=tcp>\r\n"
                + "Content-Length: 0\r\n\r\n";
        peer.getOutputStream().write(invite.getBytes(StandardCharsets.UTF_8));
        ServerTransaction tx = requests.poll(5, TimeUnit.SECONDS);
        assertThat(tx).as("the INVITE at the TU").isNotNull();
        assertThat(next().status()).isEqualTo(100);
        return tx;
    }

    private AckWait answer(ServerTransaction tx, AckWait.Resend resend) throws Exception {
        SipResponse ok = SipResponse.forRequest(tx.request(), 200)
                .setHeader("To", tx.request().to().withTag("ms1").toString()).build();
        AckWait wait = AckWait.start(stack, timers, tx.incoming(), ok, resend, timedOut::incrementAndGet);
        tx.respond(ok);
        assertThat(next().status()).isEqualTo(200);
        assertThat(timers.nextDue()).as("the first resend or check at T1").contains(Duration.ofMillis(500));
        return wait;
    }

    /** The next response on the TCP stream. */
    private SipResponse next() throws IOException {
        InputStream in = peer.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the stack closed the connection");
            }
            head.write(b);
        }
        Matcher length = CONTENT_LENGTH.matcher(head.toString(StandardCharsets.UTF_8));
        if (length.find()) {
            head.write(in.readNBytes(Integer.parseInt(length.group(1))));
        }
        return (SipResponse) SipMessage.parse(head.toByteArray());
    }
}
