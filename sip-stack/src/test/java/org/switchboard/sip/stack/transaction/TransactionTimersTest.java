package org.switchboard.sip.stack.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.SipMeters;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.testing.time.ManualScheduler;

/**
 * The transaction timers with the RFC 3261 defaults (T1 500 ms, T2 4 s, T4 5 s) on virtual time, without sockets:
 * the state machines send through a recorder and time moves only when a test advances it, so every retransmission
 * and every timeout is checked to the millisecond. {@code TransactionLayerIT} keeps one timeout on real time.
 */
class TransactionTimersTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 5060);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);

    private final ManualScheduler clock = new ManualScheduler();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<ServerTransaction> requests = new CopyOnWriteArrayList<>();
    private final List<IncomingMessage> acks = new CopyOnWriteArrayList<>();
    private final List<IncomingMessage> strays = new CopyOnWriteArrayList<>();
    private final List<Object> outcomes = new CopyOnWriteArrayList<>(); // a client's responses, "timeout" or "error"
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TransactionLayer layer = layer();

    /** A message as the recorder saw it leave, with the virtual time it left at. */
    private record Sent(long atMillis, SipMessage message) {
    }

    private TransactionLayer layer() {
        TransactionLayer l = TransactionLayer.create(TimerConfig.DEFAULTS, clock, new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction transaction) {
                requests.add(transaction);
            }

            @Override
            public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
                throw new AssertionError("no CANCEL in these tests");
            }

            @Override
            public void onAck(IncomingMessage ack) {
                acks.add(ack);
            }

            @Override
            public void onStrayResponse(IncomingMessage response) {
                strays.add(response);
            }
        });
        l.attach(new Wire() {
            @Override
            public CompletableFuture<Void> send(SipMessage message, Destination destination) {
                sent.add(new Sent(clock.elapsed().toMillis(), message));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> sendResponse(SipResponse response, IncomingMessage request) {
                sent.add(new Sent(clock.elapsed().toMillis(), response));
                return CompletableFuture.completedFuture(null);
            }
        }, SipMeters.create(registry, "test"));
        return l;
    }

    @AfterEach
    void close() {
        layer.close();
        channel.finishAndReleaseAll();
    }

    // ---- client transactions

    @Test
    void clientInviteDoublesTimerAWithoutCapUntilTimerB() {
        ClientTx tx = client("INVITE", Transport.UDP);
        clock.advance(Duration.ofMillis(31_999));
        assertThat(sentAt()).as("Timer A from T1, doubling, never capped at T2")
                .containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L);
        assertThat(outcomes).isEmpty();
        assertThat(count("sip.retransmissions.sent", "INVITE")).as("every copy after the first is counted").isEqualTo(6);
        assertThat(count("sip.transactions", "client")).isEqualTo(1);
        assertThat(registry.get("sip.transactions.active").tag("kind", "client").gauge().value()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(outcomes).as("Timer B: 64 T1").containsExactly("timeout");
        assertEnded(tx);
    }

    @Test
    void clientNonInviteCapsTimerEAtT2UntilTimerF() {
        ClientTx tx = client("OPTIONS", Transport.UDP);
        clock.advance(Duration.ofMillis(31_999));
        assertThat(sentAt()).as("Timer E doubles from T1 up to T2, then every T2")
                .containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 11_500L, 15_500L, 19_500L, 23_500L, 27_500L, 31_500L);
        assertThat(outcomes).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(outcomes).as("Timer F: 64 T1").containsExactly("timeout");
        assertEnded(tx);
    }

    @Test
    void clientNonInviteRetransmitsEveryT2OnceProceeding() {
        ClientTx tx = client("OPTIONS", Transport.UDP);
        clock.advance(Duration.ofMillis(600));
        respond(tx, 180);
        clock.advance(Duration.ofMillis(10_000 - 600));
        assertThat(sentAt()).as("the copy due at 1.5 s, then T2 apart").containsExactly(0L, 500L, 1_500L, 5_500L, 9_500L);
        clock.advance(Duration.ofMillis(22_000));
        assertThat(outcomes).as("Timer F still ends a proceeding non-INVITE").containsExactly(180, "timeout");
        assertEnded(tx);
    }

    @Test
    void clientInviteStopsRetransmittingWhenProceedingAndTimerBLetsItWait() {
        ClientTx tx = client("INVITE", Transport.UDP);
        clock.advance(Duration.ofMillis(100));
        respond(tx, 180);
        clock.advance(Duration.ofMinutes(3));
        assertThat(sentAt()).as("no Timer A once a provisional response came").containsExactly(0L);
        assertThat(outcomes).as("a proceeding INVITE waits for its TU to cancel it").containsExactly(180);
        assertThat(layer.activeTransactions()).isEqualTo(1);
    }

    @Test
    void clientInviteAcksANonTwoHundredFinalAndTimerDAbsorbsItsRetransmissions() {
        ClientTx tx = client("INVITE", Transport.UDP);
        clock.advance(Duration.ofMillis(100));
        SipResponse busy = response(tx, 486);
        layer.onMessage(incoming(busy, Transport.UDP));
        SipRequest ack = (SipRequest) last();
        assertThat(ack.method()).isEqualTo("ACK");
        assertThat(ack.topVia().branch()).isEqualTo(tx.request().topVia().branch());
        assertThat(ack.to().tag()).hasValue("p1");
        assertThat(ack.cseq().number()).isEqualTo(tx.request().cseq().number());
        clock.advance(Duration.ofMillis(31_999));
        layer.onMessage(incoming(busy, Transport.UDP));
        assertThat(sent).as("the INVITE (its 486 came before Timer A), the ACK, the ACK again for the retransmitted 486")
                .extracting(s -> s.message().startLine()).containsExactly(tx.request().startLine(), ack.startLine(),
                        ack.startLine());
        assertThat(outcomes).as("the retransmitted final is not passed up").containsExactly(486);
        clock.advance(Duration.ofMillis(1));
        assertEnded(tx);
        layer.onMessage(incoming(busy, Transport.UDP));
        assertThat(strays).as("after Timer D (64 T1) the final matches nothing").hasSize(1);
    }

    @Test
    void clientNonInviteTimerKAbsorbsRetransmittedFinalsForT4() {
        ClientTx tx = client("OPTIONS", Transport.UDP);
        SipResponse ok = response(tx, 200);
        layer.onMessage(incoming(ok, Transport.UDP));
        clock.advance(Duration.ofMillis(4_999));
        layer.onMessage(incoming(ok, Transport.UDP));
        assertThat(outcomes).containsExactly(200);
        assertThat(sentAt()).as("no retransmission once completed").containsExactly(0L);
        clock.advance(Duration.ofMillis(1));
        assertEnded(tx);
        layer.onMessage(incoming(ok, Transport.UDP));
        assertThat(strays).hasSize(1);
    }

    @Test
    void clientInviteAcceptedPassesEveryTwoHundredUpUntilTimerM() {
        ClientTx tx = client("INVITE", Transport.UDP);
        SipResponse ok = response(tx, 200);
        layer.onMessage(incoming(ok, Transport.UDP));
        clock.advance(Duration.ofMillis(31_999));
        layer.onMessage(incoming(ok, Transport.UDP));
        assertThat(outcomes).as("2xx retransmissions and forks go to the TU, which ACKs them").containsExactly(200, 200);
        assertThat(sentAt()).as("the transaction does not ACK a 2xx").containsExactly(0L);
        clock.advance(Duration.ofMillis(1));
        assertEnded(tx);
    }

    @Test
    void reliableTransportsNeitherRetransmitNorWaitAfterTheFinal() {
        ClientTx invite = client("INVITE", Transport.TCP);
        ClientTx options = client("OPTIONS", Transport.TCP);
        clock.advance(Duration.ofMillis(31_999));
        assertThat(sentAt()).as("no Timer A or E over TCP").containsExactly(0L, 0L);
        assertThat(count("sip.retransmissions.sent", "INVITE") + count("sip.retransmissions.sent", "OPTIONS")).isZero();
        layer.onMessage(incoming(response(invite, 486), Transport.TCP));
        layer.onMessage(incoming(response(options, 200), Transport.TCP));
        clock.runDue();
        assertThat(outcomes).containsExactlyInAnyOrder(486, 200);
        assertThat(last()).extracting(m -> ((SipRequest) m).method()).isEqualTo("ACK");
        assertEnded(invite);
        assertEnded(options);
    }

    @Test
    void clientTransactionEndsOnATransportError() {
        layer.attach(new Wire() {
            @Override
            public CompletableFuture<Void> send(SipMessage message, Destination destination) {
                return CompletableFuture.failedFuture(new IOException("refused"));
            }

            @Override
            public CompletableFuture<Void> sendResponse(SipResponse response, IncomingMessage request) {
                throw new AssertionError("no responses here");
            }
        }, SipMeters.none());
        ClientTx tx = client("OPTIONS", Transport.TCP);
        assertThat(outcomes).containsExactly("error");
        assertEnded(tx);
    }

    // ---- server transactions

    @Test
    void serverInviteRetransmitsANonTwoHundredWithTimerGUntilTheAckThenTimerIAbsorbsAcks() {
        SipRequest invite = request("INVITE", "z9hG4bKsg");
        layer.onMessage(incoming(invite, Transport.UDP));
        assertThat(statuses()).as("100 Trying at once").containsExactly(100);
        ServerTransaction tx = requests.get(0);
        tx.respond(busy(invite));
        clock.advance(Duration.ofMillis(12_000));
        assertThat(sentAt()).as("100, 486, then Timer G from T1 doubling up to T2")
                .containsExactly(0L, 0L, 500L, 1_500L, 3_500L, 7_500L, 11_500L);
        assertThat(count("sip.retransmissions.sent", "INVITE")).as("Timer G's copies of the 486").isEqualTo(5);
        SipRequest ack = ackFor(invite);
        layer.onMessage(incoming(ack, Transport.UDP));
        clock.advance(Duration.ofMillis(4_999));
        layer.onMessage(incoming(ack, Transport.UDP));
        assertThat(sent).as("no retransmission after the ACK").hasSize(7);
        assertThat(acks).as("the ACK for a non-2xx stays in the transaction, retransmissions too").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(layer.activeTransactions()).as("Timer I: T4 after the ACK").isZero();
        assertThat(clock.pending()).isZero();
        layer.onMessage(incoming(ack, Transport.UDP));
        assertThat(acks).as("after Timer I an ACK matches nothing and goes to the TU").hasSize(1);
    }

    @Test
    void serverInviteTimerHEndsTheRetransmissionsWhenNoAckComes() {
        SipRequest invite = request("INVITE", "z9hG4bKsh");
        layer.onMessage(incoming(invite, Transport.UDP));
        requests.get(0).respond(busy(invite));
        clock.advance(Duration.ofMillis(31_999));
        assertThat(sentAt()).containsExactly(0L, 0L, 500L, 1_500L, 3_500L, 7_500L, 11_500L, 15_500L, 19_500L, 23_500L,
                27_500L, 31_500L);
        assertThat(layer.activeTransactions()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(layer.activeTransactions()).as("Timer H: 64 T1").isZero();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void serverInviteOverTcpHasNoTimerGAndTimerIIsZero() {
        SipRequest invite = request("INVITE", "z9hG4bKst");
        layer.onMessage(incoming(invite, Transport.TCP));
        requests.get(0).respond(busy(invite));
        clock.advance(Duration.ofMillis(10_000));
        assertThat(statuses()).containsExactly(100, 486);
        layer.onMessage(incoming(ackFor(invite), Transport.TCP));
        clock.runDue();
        assertThat(layer.activeTransactions()).isZero();
        assertThat(acks).isEmpty();
    }

    @Test
    void serverNonInviteTimerJAnswersRetransmissionsFor64T1() {
        SipRequest options = request("OPTIONS", "z9hG4bKsj");
        layer.onMessage(incoming(options, Transport.UDP));
        requests.get(0).respond(SipResponse.forRequest(options, 200).setHeader("To", "<sip:bob@127.0.0.1>;tag=b1").build());
        clock.advance(Duration.ofMillis(31_999));
        layer.onMessage(incoming(options, Transport.UDP));
        assertThat(sentAt()).as("no Timer G for a non-INVITE; the retransmitted request gets the 200 again")
                .containsExactly(0L, 31_999L);
        assertThat(count("sip.retransmissions.received", "OPTIONS")).as("the copy of the request absorbed").isEqualTo(1);
        assertThat(count("sip.retransmissions.sent", "OPTIONS")).as("the 200 sent again for it").isEqualTo(1);
        assertThat(count("sip.transactions", "server")).as("the copy made no transaction").isEqualTo(1);
        assertThat(requests).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(layer.activeTransactions()).as("Timer J: 64 T1").isZero();
        layer.onMessage(incoming(options, Transport.UDP));
        assertThat(requests).as("after Timer J the same request is new").hasSize(2);
    }

    @Test
    void serverInviteAcceptedAbsorbsRetransmissionsAndPassesAcksUpUntilTimerL() {
        SipRequest invite = request("INVITE", "z9hG4bKsl");
        layer.onMessage(incoming(invite, Transport.UDP));
        requests.get(0).respond(SipResponse.forRequest(invite, 180).setHeader("To", "<sip:bob@127.0.0.1>;tag=b1").build());
        assertThat(requests.get(0).hasFinalResponse()).isFalse();
        requests.get(0).respond(SipResponse.forRequest(invite, 200).setHeader("To", "<sip:bob@127.0.0.1>;tag=b1").build());
        // Accepted keeps no response to send again, yet still knows the request was answered
        assertThat(requests.get(0).hasFinalResponse()).isTrue();
        clock.advance(Duration.ofMillis(10_000));
        layer.onMessage(incoming(invite, Transport.UDP));
        assertThat(statuses()).as("the UAS core, not the transaction, retransmits a 2xx").containsExactly(100, 180, 200);
        layer.onMessage(incoming(ackFor(invite), Transport.UDP));
        assertThat(acks).as("the ACK for a 2xx belongs to the TU").hasSize(1);
        clock.advance(Duration.ofMillis(21_999));
        assertThat(layer.activeTransactions()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(layer.activeTransactions()).as("Timer L: 64 T1").isZero();
        assertThat(requests).hasSize(1);
    }

    @Test
    void closingEndsTheTransactionsOnAGivenSchedulerButLeavesItRunning() {
        client("INVITE", Transport.UDP);
        layer.onMessage(incoming(request("OPTIONS", "z9hG4bKsc"), Transport.UDP));
        assertThat(clock.pending()).isPositive();
        layer.close();
        assertThat(layer.activeTransactions()).isZero();
        assertThat(clock.pending()).as("every timer canceled").isZero();
        assertThat(clock.isShutdown()).as("the scheduler stays the caller's").isFalse();
    }

    // ---- helpers

    /** A counter of this stack's meters, by its method tag (or kind tag, for transactions). */
    private double count(String name, String methodOrKind) {
        return registry.get(name).tag("stack", "test").tag(name.startsWith("sip.transactions") ? "kind" : "method", methodOrKind)
                .counter().count();
    }

    private ClientTx client(String method, Transport transport) {
        SipRequest request = SipRequest.builder(method, "sip:peer@192.0.2.1")
                .addHeader("Via", "SIP/2.0/" + transport + " 127.0.0.1:5060;branch=" + TransactionLayer.newBranch() + ";rport")
                .addHeader("Max-Forwards", "70").addHeader("From", "<sip:us@127.0.0.1>;tag=u1")
                .addHeader("To", "<sip:peer@192.0.2.1>").addHeader("Call-ID", "c-" + method)
                .addHeader("CSeq", "1 " + method).build();
        return layer.startClient(request, new Destination(transport, PEER), new ResponseListener() {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                outcomes.add(response.status());
            }

            @Override
            public void onTimeout(ClientTransaction tx) {
                outcomes.add("timeout");
            }

            @Override
            public void onTransportError(ClientTransaction tx, TransportError error) {
                outcomes.add("error");
            }
        });
    }

    private static SipResponse response(ClientTx tx, int status) {
        return SipResponse.forRequest(tx.request(), status).setHeader("To", "<sip:peer@192.0.2.1>;tag=p1").build();
    }

    private void respond(ClientTx tx, int status) {
        layer.onMessage(incoming(response(tx, status), tx.destination().transport()));
    }

    private static SipRequest request(String method, String branch) {
        return (SipRequest) SipMessage.parse(method + " sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@127.0.0.1>\r\nFrom: <sip:alice@192.0.2.1>;tag=a1\r\n"
                + "Call-ID: call-" + branch + "\r\nCSeq: 7 " + method + "\r\nContent-Length: 0\r\n\r\n");
    }

    private static SipResponse busy(SipRequest invite) {
        return SipResponse.forRequest(invite, 486).setHeader("To", "<sip:bob@127.0.0.1>;tag=b1").build();
    }

    private static SipRequest ackFor(SipRequest invite) {
        return TransactionLayer.sameTransaction(invite, "ACK", "<sip:bob@127.0.0.1>;tag=b1");
    }

    private IncomingMessage incoming(SipMessage message, Transport transport) {
        return IncomingMessage.received(message, transport, PEER, LOCAL, channel);
    }

    private void assertEnded(ClientTx tx) {
        assertThat(layer.activeTransactions()).as(tx + " ended").isZero();
        assertThat(clock.pending()).as("no timer left behind").isZero();
    }

    private List<Long> sentAt() {
        List<Long> at = new ArrayList<>();
        sent.forEach(s -> at.add(s.atMillis()));
        return at;
    }

    private List<Integer> statuses() {
        List<Integer> out = new ArrayList<>();
        sent.forEach(s -> out.add(((SipResponse) s.message()).status()));
        return out;
    }

    private SipMessage last() {
        return sent.get(sent.size() - 1).message();
    }
}
