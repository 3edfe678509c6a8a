package org.switchboard.container.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;

/** The capture's memory is bounded: calls in progress, a ring of ended calls, unclaimed Call-IDs, entries per call. */
class CallCapturesTest {

    private static SipMessage invite(String callId) {
        return SipMessage.parse("INVITE sip:uas@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-" + callId
                + "\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:uas@127.0.0.1>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }

    private static SipMessage response(String callId, int status) {
        return SipMessage.parse("SIP/2.0 " + status + " Whatever\r\nVia: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK-" + callId
                + "\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:uas@127.0.0.1>;tag=2\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void aCallsMessagesSeenBeforeItOpensAreItsFirstAndItMovesToTheRingWhenItEnds() {
        CallCaptures captures = new CallCaptures(10, 100);
        captures.record("c1", true, "udp 127.0.0.1:5080", invite("c1"));
        captures.record("c1", false, "udp 127.0.0.1:5080", response("c1", 100));
        CallCapture c = captures.open("c1");
        captures.record("c1", false, "udp 127.0.0.1:5080", response("c1", 486));
        assertThat(captures.events("c1").orElseThrow()).extracting(CapturedEvent::label)
                .containsExactly("INVITE", "100 Whatever", "486 Whatever");
        assertThat(captures.events("c1").orElseThrow().get(0).text()).startsWith("INVITE sip:uas@127.0.0.1 SIP/2.0\r\n");
        assertThat(captures.held()).containsExactly(1, 0, 0);

        captures.retire(c);
        captures.record("c1", true, "udp 127.0.0.1:5080", SipMessage.parse("ACK sip:uas@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP"
                + " 127.0.0.1:5080;branch=z9hG4bK-c1\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:uas@127.0.0.1>;tag=2\r\n"
                + "Call-ID: c1\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"));
        assertThat(captures.held()).containsExactly(0, 1, 0);
        assertThat(captures.events("c1").orElseThrow()).extracting(CapturedEvent::label).endsWith("ACK");
        assertThat(captures.totals()).isEqualTo(new CallCaptures.Totals(4, 1, 1));
    }

    @Test
    void theEndedCallsAreARingAndACallKeepsAtMostItsLimit() {
        CallCaptures captures = new CallCaptures(3, 5);
        for (int i = 0; i < 10; i++) {
            CallCapture c = captures.open("call-" + i);
            for (int m = 0; m < 8; m++) {
                captures.record("call-" + i, true, "udp 127.0.0.1:5080", invite("call-" + i));
            }
            captures.media(c, "media", "DTMF 1", "digit 1");
            assertThat(captures.events("call-" + i).orElseThrow()).hasSize(5);
            captures.retire(c);
        }
        assertThat(captures.held()).containsExactly(0, 3, 0);
        assertThat(captures.ended()).extracting(CallSummary::callId).containsExactlyInAnyOrder("call-7", "call-8", "call-9");
        assertThat(captures.events("call-6")).isEmpty();
    }

    @Test
    void callIdsNoCallClaimsAreBoundedToo() {
        CallCaptures captures = new CallCaptures(0, 10);
        for (int i = 0; i < CallCaptures.UNCLAIMED_LIMIT + 500; i++) {
            captures.record("probe-" + i, true, "udp 127.0.0.1:5080", invite("probe-" + i));
        }
        assertThat(captures.held()).containsExactly(0, 0, CallCaptures.UNCLAIMED_LIMIT);
        CallCapture c = captures.open("last");
        captures.retire(c);
        assertThat(captures.held()).containsExactly(0, 0, CallCaptures.UNCLAIMED_LIMIT); // no ring: the call left nothing
        assertThat(captures.events("last")).isEmpty();
    }

    @Test
    void legsNameEachOther() {
        CallCaptures captures = new CallCaptures(5, 10);
        CallCapture a = captures.open("a");
        CallCapture b = captures.open("b");
        captures.relate("a", "b");
        captures.retire(a);
        assertThat(captures.ended()).singleElement().satisfies(s -> assertThat(s.legs()).isEqualTo(List.of("b")));
        assertThat(captures.summary(b, "confirmed").legs()).containsExactly("a");
    }
}
