package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** The message counters, fed parsed messages as the pipeline's last handler and the send completions feed them. */
class SipMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SipMeters meters = SipMeters.create(registry, "drachtio");

    private static SipRequest request(String method, int cseq) {
        return SipRequest.builder(method, "sip:bob@127.0.0.1")
                .addHeader("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK" + method + cseq)
                .addHeader("Max-Forwards", "70").addHeader("From", "<sip:alice@127.0.0.1>;tag=a")
                .addHeader("To", "<sip:bob@127.0.0.1>").addHeader("Call-ID", "m1").addHeader("CSeq", cseq + " " + method)
                .build();
    }

    private double requests(String direction, String method) {
        return registry.get("sip.requests." + direction).tag("stack", "drachtio").tag("method", method).counter().count();
    }

    private double responses(String direction, String method, int status) {
        return registry.get("sip.responses." + direction).tag("stack", "drachtio").tag("method", method)
                .tag("status", Integer.toString(status)).tag("class", status / 100 + "xx").counter().count();
    }

    @Test
    void requestsAreCountedByMethodAndResponsesByTheirCSeqMethodAndStatus() {
        SipRequest invite = request("INVITE", 1);
        SipRequest bye = request("BYE", 2);
        meters.received(invite);
        meters.sent(SipResponse.forRequest(invite, 100).build());
        meters.sent(SipResponse.forRequest(invite, 200).build());
        meters.received(request("ACK", 1));
        meters.received(bye);
        meters.sent(SipResponse.forRequest(bye, 200).build());
        meters.sent(SipResponse.forRequest(bye, 200).build());

        assertThat(requests("received", "INVITE")).isEqualTo(1);
        assertThat(requests("received", "ACK")).isEqualTo(1);
        assertThat(requests("received", "BYE")).isEqualTo(1);
        assertThat(requests("sent", "INVITE")).isZero();
        assertThat(responses("sent", "INVITE", 100)).isEqualTo(1);
        assertThat(responses("sent", "INVITE", 200)).isEqualTo(1);
        assertThat(responses("sent", "BYE", 200)).as("the same counter found again, not a second one").isEqualTo(2);
        assertThat(registry.find("sip.responses.received").counters()).isEmpty();
    }

    @Test
    void unknownMethodsShareOneLabelSoThatPeersCannotGrowTheLabelSet() {
        meters.received(request("FROBNICATE", 1));
        meters.received(request("XYZZY", 1));
        meters.received(SipResponse.forRequest(request("XYZZY", 2), 501).build());

        assertThat(requests("received", SipMeters.OTHER)).isEqualTo(2);
        assertThat(responses("received", SipMeters.OTHER, 501)).isEqualTo(1);
        assertThat(registry.get("sip.requests.received").counters()).as("one counter per RFC method and 'other'")
                .hasSize(SipMeters.METHODS.size() + 1);
    }

    @Test
    void failuresAreReadFromTheTransportStatsWhenScraped() {
        TransportStats stats = new TransportStats();
        meters.bind(stats);
        stats.malformed();
        stats.malformed();
        stats.sendFailed();

        assertThat(registry.get("sip.parse.errors").tag("stack", "drachtio").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("sip.send.failures").tag("stack", "drachtio").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("sip.tls.handshake.failures").functionCounter().count()).isZero();
    }

    @Test
    void noneRecordsWithoutKeepingAnything() {
        SipMeters none = SipMeters.none();
        none.received(request("INVITE", 1));
        assertThat(none.registry().getMeters()).as("a registry with nothing under it: meters known, no values kept")
                .allSatisfy(m -> assertThat(m.measure()).allSatisfy(x -> assertThat(x.getValue()).isIn(0.0, Double.NaN)));
    }
}
