package org.switchboard.sip.stack.ua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.testing.time.ManualScheduler;

/**
 * The dialog rules of RFC 3261 section 12 on {@link DialogState}, without sockets: the dialog a request or a 2xx
 * makes, its route set from Record-Route on either side, target refresh, CSeq in both directions, requests within
 * it with loose and strict routing, the ACK of a 2xx and the wait for one.
 */
class DialogStateTest {

    private static final Destination ORIGIN = new Destination(Transport.UDP,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 5070));

    private static SipRequest invite(String... extraLines) {
        StringBuilder b = new StringBuilder("""
                INVITE sip:bob@192.0.2.20 SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1
                Max-Forwards: 70
                From: "Alice" <sip:alice@example.com>;tag=a1
                To: sip:bob@example.com
                Call-ID: call-1
                CSeq: 7 INVITE
                Contact: <sip:alice@192.0.2.10:5060>
                """);
        for (String line : extraLines) {
            b.append(line).append('\n');
        }
        return (SipRequest) SipMessage.parse(b.append("Content-Length: 0\n\n").toString().replace("\n", "\r\n"));
    }

    private static SipResponse ok(SipRequest request, String toTag, String contact, String... recordRoutes) {
        SipResponse.Builder b = SipResponse.forRequest(request, 200)
                .setHeader(HeaderNames.TO, request.to().withTag(toTag).toString());
        if (contact != null) {
            b.addHeader(HeaderNames.CONTACT, contact);
        }
        for (String rr : recordRoutes) {
            b.addHeader(HeaderNames.RECORD_ROUTE, rr);
        }
        return b.build();
    }

    private static SipRequest fromPeer(String method, long cseq, String... extraLines) {
        StringBuilder b = new StringBuilder(method + " sip:bob@192.0.2.20 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-" + method + cseq + "\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\nCall-ID: call-1\n"
                + "CSeq: " + cseq + " " + method + "\n");
        for (String line : extraLines) {
            b.append(line).append('\n');
        }
        return (SipRequest) SipMessage.parse(b.append("Content-Length: 0\n\n").toString().replace("\n", "\r\n"));
    }

    private static DialogState uas(String... recordRoutes) {
        String[] lines = new String[recordRoutes.length];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "Record-Route: " + recordRoutes[i];
        }
        return DialogState.asUas(invite(lines), "b1", "<sip:bob@192.0.2.20>", true, ORIGIN);
    }

    @Test
    void asUasTheRouteSetIsTheRequestsRecordRouteInOrderAndTheTargetItsContact() {
        DialogState d = uas("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>");

        assertThat(d.role()).isEqualTo(DialogState.Role.UAS);
        assertThat(d.routeSet()).containsExactly("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>");
        assertThat(d.remoteTarget()).hasToString("sip:alice@192.0.2.10:5060");
        assertThat(d.localTag()).isEqualTo("b1");
        assertThat(d.remoteTag()).isEqualTo("a1");

        SipRequest bye = d.request("BYE").build();
        assertThat(bye.requestUriText()).isEqualTo("sip:alice@192.0.2.10:5060");
        assertThat(bye.headers().values(HeaderNames.ROUTE))
                .containsExactly("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>");
        assertThat(bye.from().tag()).contains("b1");
        assertThat(bye.headers().first(HeaderNames.FROM)).contains("<sip:bob@example.com>;tag=b1");
        assertThat(bye.headers().first(HeaderNames.TO)).contains("\"Alice\" <sip:alice@example.com>;tag=a1");
        assertThat(bye.callId()).contains("call-1");
        assertThat(d.nextHop()).hasToString("sip:p1.example.com;lr");
    }

    @Test
    void asUacTheRouteSetIsTheResponsesRecordRouteReversed() {
        SipRequest invite = invite();
        DialogState d = DialogState.asUac(invite, ok(invite, "b1", "<sip:bob@192.0.2.20:5080>",
                "<sip:p2.example.com;lr>, <sip:p1.example.com;lr>"), ORIGIN);

        assertThat(d.role()).isEqualTo(DialogState.Role.UAC);
        assertThat(d.localTag()).isEqualTo("a1");
        assertThat(d.remoteTag()).isEqualTo("b1");
        assertThat(d.routeSet()).containsExactly("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>");
        assertThat(d.remoteTarget()).hasToString("sip:bob@192.0.2.20:5080");
        SipRequest info = d.request("INFO").build();
        assertThat(info.cseq().number()).isEqualTo(8);
        assertThat(info.headers().first(HeaderNames.TO)).contains("<sip:bob@example.com>;tag=b1");
    }

    @Test
    void theLocalCSeqGrowsByOneAndTheAckTakesTheInvitesNumber() {
        SipRequest invite = invite();
        DialogState d = DialogState.asUac(invite, ok(invite, "b1", "<sip:bob@192.0.2.20>"), ORIGIN);

        assertThat(d.ack().build().cseq().number()).isEqualTo(7);
        assertThat(d.ack().build().cseq().method()).isEqualTo("ACK");
        assertThat(d.request("INFO").build().cseq().number()).isEqualTo(8);
        SipRequest reinvite = d.request("INVITE").build();
        assertThat(reinvite.cseq().number()).isEqualTo(9);
        assertThat(d.request("UPDATE").build().cseq().number()).isEqualTo(10);
        assertThat(d.ack().build().cseq().number()).as("the ACK of the last INVITE, not the last request").isEqualTo(9);
    }

    @Test
    void aCSeqItsUserWroteInstead() {
        SipRequest invite = invite();
        DialogState d = DialogState.asUac(invite, ok(invite, "b1", "<sip:bob@192.0.2.20>"), ORIGIN);
        SipRequest written = d.request("INVITE").setHeader(HeaderNames.CSEQ, "20 INVITE").build();

        d.sent(written);

        assertThat(d.ack().build().cseq().number()).isEqualTo(20);
        assertThat(d.request("INFO").build().cseq().number()).isEqualTo(21);
    }

    @Test
    void aUasChoosesItsFirstCSeqAndHasNoInviteToAckBeforeItSendsOne() {
        DialogState d = uas();

        long first = d.request("INFO").build().cseq().number();
        assertThat(first).isBetween(1L, 1L << 20);
        assertThat(d.request("BYE").build().cseq().number()).isEqualTo(first + 1);
        assertThatThrownBy(d::ack).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRequestBelowThePeersLastCSeqIsOutOfOrder() {
        DialogState d = uas();

        assertThat(d.receive(fromPeer("INFO", 8))).isTrue();
        assertThat(d.receive(fromPeer("INFO", 8))).as("equal is not below").isTrue();
        assertThat(d.receive(fromPeer("INFO", 5))).isFalse();
        assertThat(d.receive(fromPeer("ACK", 7))).as("an ACK carries its INVITE's number").isTrue();
        assertThat(d.receive(fromPeer("BYE", 9))).isTrue();
    }

    @Test
    void aReInviteOrUpdateFromThePeerRefreshesTheTargetAndAnInfoDoesNot() {
        DialogState d = uas();

        d.receive(fromPeer("INFO", 8, "Contact: <sip:alice@198.51.100.1>"));
        assertThat(d.remoteTarget()).hasToString("sip:alice@192.0.2.10:5060");
        d.receive(fromPeer("INVITE", 9, "Contact: <sip:alice@198.51.100.2>"));
        assertThat(d.remoteTarget()).hasToString("sip:alice@198.51.100.2");
        d.receive(fromPeer("UPDATE", 10, "Contact: <sip:alice@198.51.100.3:5062>"));
        assertThat(d.remoteTarget()).hasToString("sip:alice@198.51.100.3:5062");
        d.receive(fromPeer("UPDATE", 11));
        assertThat(d.remoteTarget()).as("no Contact, no change").hasToString("sip:alice@198.51.100.3:5062");
        assertThat(d.request("BYE").build().requestUriText()).isEqualTo("sip:alice@198.51.100.3:5062");
    }

    @Test
    void a2xxToOurReInviteRefreshesTheTarget() {
        DialogState d = uas();
        SipRequest reinvite = d.request("INVITE").build();
        d.onResponse(reinvite, SipResponse.forRequest(reinvite, 491).addHeader(HeaderNames.CONTACT,
                "<sip:alice@198.51.100.9>").build());
        assertThat(d.remoteTarget()).as("only a 2xx refreshes").hasToString("sip:alice@192.0.2.10:5060");

        d.onResponse(reinvite, SipResponse.forRequest(reinvite, 200).addHeader(HeaderNames.CONTACT,
                "<sip:alice@198.51.100.9>").build());

        assertThat(d.remoteTarget()).hasToString("sip:alice@198.51.100.9");
    }

    @Test
    void the2xxThatConfirmsAnEarlyDialogGivesItsRouteSet() {
        SipRequest invite = invite("Supported: 100rel");
        SipResponse early = SipResponse.forRequest(invite, 183).setHeader(HeaderNames.TO, invite.to().withTag("b1").toString())
                .addHeader(HeaderNames.CONTACT, "<sip:bob@192.0.2.20>").addHeader("RSeq", "1")
                .addHeader(HeaderNames.RECORD_ROUTE, "<sip:old.example.com;lr>").build();
        DialogState d = DialogState.asUac(invite, early, ORIGIN);
        assertThat(d.isConfirmed()).isFalse();

        d.onResponse(invite, ok(invite, "b1", "<sip:bob@192.0.2.21>", "<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>"));

        assertThat(d.isConfirmed()).isTrue();
        assertThat(d.routeSet()).containsExactly("<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>");
        assertThat(d.remoteTarget()).hasToString("sip:bob@192.0.2.21");
    }

    @Test
    void aStrictRouterFirstTakesTheRequestUriAndTheTargetEndsTheRoute() {
        DialogState d = uas("<sip:strict.example.com;transport=udp>", "<sip:p2.example.com;lr>");

        SipRequest bye = d.request("BYE").build();

        assertThat(bye.requestUriText()).isEqualTo("sip:strict.example.com;transport=udp");
        assertThat(bye.headers().values(HeaderNames.ROUTE))
                .containsExactly("<sip:p2.example.com;lr>", "<sip:alice@192.0.2.10:5060>");
        assertThat(d.nextHop()).hasToString("sip:strict.example.com;transport=udp");
    }

    @Test
    void requestsGoToTheNextHopWhenItIsAnAddressElseWhereTheDialogBegan() {
        assertThat(uas("<sip:192.0.2.30:5099;lr>").destination().address().getPort()).isEqualTo(5099);
        assertThat(uas("<sip:proxy.example.com;lr>").destination()).isEqualTo(ORIGIN);
        assertThat(uas().destination().address().getAddress().getHostAddress()).isEqualTo("192.0.2.10");
    }

    @Test
    void requestsAndResponsesAreMatchedByCallIdAndBothTags() {
        DialogState d = uas();

        assertThat(d.isFromPeer(fromPeer("INFO", 8))).isTrue();
        assertThat(d.isFromPeer(SipMessage.parse(fromPeer("INFO", 8).toString().replace("tag=b1", "tag=x")))).isFalse();
        SipRequest info = d.request("INFO").build();
        assertThat(d.isResponseInDialog(SipResponse.forRequest(info, 200).build())).isTrue();
    }

    @Test
    void anAckStopsTheWaitForItsOwn2xxAndARetransmittedAckIsNotNew() {
        ManualScheduler clock = new ManualScheduler();
        AtomicInteger resent = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        DialogState d = uas();
        SipRequest invite = invite();
        SipResponse ok = ok(invite, "b1", "<sip:bob@192.0.2.20>");
        d.awaitAck(AckWait.start(TimerConfig.DEFAULTS, clock, ok, resent::incrementAndGet, timedOut::incrementAndGet));
        clock.advance(Duration.ofMillis(500));
        assertThat(resent).hasValue(1);
        assertThat(d.isAwaitingAck()).isTrue();

        assertThat(d.acknowledged(fromPeer("ACK", 6))).as("another INVITE's ACK").isTrue();
        assertThat(d.isAwaitingAck()).isTrue();
        assertThat(d.acknowledged(fromPeer("ACK", 7))).isTrue();
        assertThat(d.acknowledged(fromPeer("ACK", 7))).as("a retransmission").isFalse();
        assertThat(d.isAwaitingAck()).isFalse();
        assertThat(d.isAcked()).isTrue();

        clock.advance(Duration.ofMinutes(1));
        assertThat(resent).hasValue(1);
        assertThat(timedOut).hasValue(0);
    }

    @Test
    void aWaitStartedAfterTheEndStopsAtOnce() {
        ManualScheduler clock = new ManualScheduler();
        AtomicInteger timedOut = new AtomicInteger();
        DialogState d = uas();
        d.end();

        d.awaitAck(AckWait.start(TimerConfig.DEFAULTS, clock, ok(invite(), "b1", null), () -> { },
                timedOut::incrementAndGet));
        clock.advance(Duration.ofMinutes(1));

        assertThat(d.isEnded()).isTrue();
        assertThat(timedOut).hasValue(0);
    }

    @Test
    void theAckSentForA2xxIsSentAgainForItsRetransmissionsOnly() {
        SipRequest invite = invite();
        SipResponse ok = ok(invite, "b1", "<sip:bob@192.0.2.20>");
        DialogState d = DialogState.asUac(invite, ok, ORIGIN);
        SipRequest ack = d.ack().build();
        d.ackSent(ack);

        assertThat(d.ackFor(ok)).contains(ack);
        SipRequest reinvite = d.request("INVITE").build();
        assertThat(d.ackFor(ok(reinvite, "b1", null))).isEmpty();
    }

    @Test
    void aTerminatingNotifyOrAnUnsubscribeEndsASubscriptionOnly() {
        SipRequest subscribe = (SipRequest) SipMessage.parse(invite().toString().replace("INVITE", "SUBSCRIBE")
                .replace("Content-Length", "Event: presence\r\nContent-Length"));
        DialogState subscription = DialogState.asUas(subscribe, "b1", "", true, ORIGIN);
        DialogState call = uas();

        SipRequest terminated = fromPeer("NOTIFY", 8, "Subscription-State: terminated;reason=timeout");
        assertThat(subscription.isSubscription()).isTrue();
        assertThat(subscription.endsSubscription(terminated)).isTrue();
        assertThat(subscription.endsSubscription(fromPeer("NOTIFY", 9, "Subscription-State: active"))).isFalse();
        assertThat(subscription.endsSubscription(fromPeer("SUBSCRIBE", 10, "Expires: 0"))).isTrue();
        assertThat(call.endsSubscription(terminated)).as("a REFER's NOTIFY in an INVITE dialog").isFalse();
    }
}
