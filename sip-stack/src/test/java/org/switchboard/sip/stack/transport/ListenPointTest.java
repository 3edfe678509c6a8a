package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** drachtio-server's {@code --contact} syntax and the transports a URI asks for. */
class ListenPointTest {

    private static List<String> parsed(String contact) {
        return ListenPoint.parseContact(contact).stream().map(ListenPoint::toString).toList();
    }

    @Test
    void readsDrachtioContacts() {
        assertThat(parsed("sip:127.0.0.1")).containsExactly("UDP 127.0.0.1:5060", "TCP 127.0.0.1:5060");
        assertThat(parsed("sip:127.0.0.1:5061;transport=tls")).containsExactly("TLS 127.0.0.1:5061");
        assertThat(parsed("sip:127.0.0.1:8443;transport=ws,wss")).containsExactly("WS 127.0.0.1:8443", "WSS 127.0.0.1:8443");
        assertThat(parsed("sips:[::1];transport=wss")).containsExactly("WSS [0:0:0:0:0:0:0:1]:443");
        assertThat(parsed("sips:127.0.0.1")).containsExactly("TLS 127.0.0.1:5061");
        assertThat(parsed("sips:127.0.0.1:7443;transport=ws")).containsExactly("WSS 127.0.0.1:7443");
        assertThat(parsed("sip:*:5080;transport=TCP")).containsExactly("TCP 0.0.0.0:5080");
    }

    @Test
    void refusesWhatIsNotAContact() {
        assertThatThrownBy(() -> ListenPoint.parseContact("127.0.0.1:5060")).hasMessageContaining("sip:host[:port]");
        assertThatThrownBy(() -> ListenPoint.parseContact("sip:127.0.0.1;transport=sctp"))
                .hasMessageContaining("unsupported transport 'sctp'");
        assertThatThrownBy(() -> ListenPoint.parseContact("sip:127.0.0.1:70000")).hasMessageContaining("above 65535");
    }

    @Test
    void sipsUrisAskForTheSecureTransports() {
        assertThat(Transport.forUri(true, java.util.Optional.empty())).isEqualTo(Transport.TLS);
        assertThat(Transport.forUri(true, java.util.Optional.of("tcp"))).isEqualTo(Transport.TLS);
        assertThat(Transport.forUri(true, java.util.Optional.of("ws"))).isEqualTo(Transport.WSS);
        assertThat(Transport.forUri(false, java.util.Optional.of("wss"))).isEqualTo(Transport.WSS);
        assertThat(Transport.forUri(false, java.util.Optional.empty())).isEqualTo(Transport.UDP);
    }
}
