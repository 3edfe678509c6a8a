package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.uri.Uri;

/** RFC 5626 flow tokens: what gets one, and that only this server's own tokens name a flow. */
class FlowTokensTest {

    private final FlowTokens tokens = FlowTokens.withRandomKey();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aTokenInARouteUriNamesItsFlow() throws Exception {
        Destination v4 = new Destination(Transport.WSS, new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 61000));
        Destination v6 = new Destination(Transport.TLS, new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 5061));

        assertThat(tokens.flow(Uri.parse("sip:" + tokens.token(v4) + "@192.0.2.1:443;transport=wss;lr"))).contains(v4);
        assertThat(tokens.flow(Uri.parse("sip:" + tokens.token(v6) + "@192.0.2.1:5061;transport=tls;lr"))).contains(v6);
    }

    @Test
    void anyOtherUserPartNamesNoFlow() throws Exception {
        Destination flow = new Destination(Transport.WS, new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 61000));
        String token = tokens.token(flow);
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(tokens.flow(Uri.parse("sip:" + tampered + "@192.0.2.1;lr"))).isEmpty();
        assertThat(FlowTokens.withRandomKey().flow(Uri.parse("sip:" + token + "@192.0.2.1;lr")))
                .as("another server's token").isEmpty();
        assertThat(tokens.flow(Uri.parse("sip:alice@192.0.2.1;lr"))).isEmpty();
        assertThat(tokens.flow(Uri.parse("sip:192.0.2.1;lr"))).isEmpty();
        assertThat(tokens.flow(Uri.parse("tel:+15551234"))).isEmpty();
    }

    @Test
    void webSocketClientsAlwaysGetATokenAndTcpOrTlsClientsWhenTheirContactAsksWithOb() {
        String plain = "<sip:a@198.51.100.2:5060;transport=tcp>";
        String outbound = "<sip:a@198.51.100.2:5060;transport=tcp;ob>";

        assertThat(tokens.forArrival(arrival(Transport.WS, plain), request(plain))).isPresent();
        assertThat(tokens.forArrival(arrival(Transport.WSS, plain), request(plain))).isPresent();
        assertThat(tokens.forArrival(arrival(Transport.TLS, outbound), request(outbound))).isPresent();
        assertThat(tokens.forArrival(arrival(Transport.TCP, outbound), request(outbound))).isPresent();
        assertThat(tokens.forArrival(arrival(Transport.TCP, plain), request(plain))).isEmpty();
        assertThat(tokens.forArrival(arrival(Transport.UDP, outbound), request(outbound))).isEmpty();

        IncomingMessage ws = arrival(Transport.WS, plain);
        Destination flow = tokens.flow(Uri.parse("sip:" + tokens.forArrival(ws, request(plain)).orElseThrow()
                + "@127.0.0.1:8080;transport=ws;lr")).orElseThrow();
        assertThat(flow).isEqualTo(new Destination(Transport.WS, CoreFixture.CALLER));
        assertThat(FlowTokens.cameOver(ws, flow)).isTrue();
        assertThat(FlowTokens.cameOver(arrival(Transport.TCP, plain), flow)).isFalse();
    }

    private static SipRequest request(String contact) {
        return (SipRequest) SipMessage.parse(Sip.invite("flow").replace("\n", "\r\n")
                .replace("Contact: <sip:caller@127.0.0.1:5070>", "Contact: " + contact));
    }

    private IncomingMessage arrival(Transport transport, String contact) {
        return IncomingMessage.received(request(contact), transport, CoreFixture.CALLER, CoreFixture.LOCAL, channel);
    }
}
