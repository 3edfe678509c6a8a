package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

class WebSocketFlowsTest {

    private static final Destination FLOW = new Destination(Transport.WSS, new InetSocketAddress("127.0.0.1", 50123));

    private static SipRequest register(String contact) {
        return SipRequest.builder("REGISTER", SipUri.parse("sip:example.com"))
                .addHeader("Via", "SIP/2.0/WSS abc.invalid;branch=z9hG4bK1")
                .addHeader("From", "<sip:alice@example.com>;tag=1").addHeader("To", "<sip:alice@example.com>")
                .addHeader("Call-ID", "c1").addHeader("CSeq", "1 REGISTER").addHeader("Contact", contact).build();
    }

    @Test
    void aContactsInvalidHostNamesTheConnectionItCameOver() {
        WebSocketFlows flows = new WebSocketFlows();
        flows.seen(register("<sip:k3l2@Xy7Q.invalid;transport=ws>;expires=600"), FLOW);

        assertThat(flows.find(SipUri.parse("sip:k3l2@xy7q.INVALID;transport=ws"))).contains(FLOW);
        assertThat(flows.find(SipUri.parse("sip:other@elsewhere.invalid;transport=ws"))).isEmpty();
    }

    @Test
    void otherHostsAreNeverFlows() {
        WebSocketFlows flows = new WebSocketFlows();
        flows.seen(register("<sip:alice@127.0.0.1:50123;transport=ws>"), FLOW);

        assertThat(flows.find(SipUri.parse("sip:alice@127.0.0.1:50123;transport=ws"))).isEmpty();
    }

    @Test
    void anotherConnectionCannotTakeOverALiveFlow() {
        WebSocketFlows flows = new WebSocketFlows();
        Destination intruder = new Destination(Transport.WSS, new InetSocketAddress("127.0.0.1", 50999));
        flows.seen(register("<sip:k3l2@xy7q.invalid;transport=ws>"), FLOW);
        flows.seen(register("<sip:k3l2@xy7q.invalid;transport=ws>"), intruder);

        assertThat(flows.find(SipUri.parse("sip:k3l2@xy7q.invalid"))).contains(FLOW);

        flows.closed(Transport.WSS, FLOW.address());
        flows.seen(register("<sip:k3l2@xy7q.invalid;transport=ws>"), intruder);

        assertThat(flows.find(SipUri.parse("sip:k3l2@xy7q.invalid"))).contains(intruder);
    }

    @Test
    void aClosedConnectionIsForgotten() {
        WebSocketFlows flows = new WebSocketFlows();
        flows.seen(register("<sip:k3l2@xy7q.invalid;transport=ws>"), FLOW);
        flows.closed(Transport.WS, FLOW.address()); // another transport from the same address: not this flow
        assertThat(flows.find(SipUri.parse("sip:k3l2@xy7q.invalid"))).contains(FLOW);

        flows.closed(Transport.WSS, FLOW.address());

        assertThat(flows.find(SipUri.parse("sip:k3l2@xy7q.invalid"))).isEmpty();
    }
}
