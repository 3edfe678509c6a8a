package org.switchboard.arquillian;

import java.util.Objects;
import org.switchboard.testkit.SipTransport;

/**
 * Where the container under test takes SIP: its embedded server's listen point. A test gets it with
 * {@code @ArquillianResource SipAddress sip} and dials {@code sip.uri("alice")}.
 *
 * @param host the address the server listens on (an IP literal)
 * @param port the port it bound
 * @param transport the transport of that listen point
 */
public record SipAddress(String host, int port, SipTransport transport) {

    /** Checks the values. */
    public SipAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /** A SIP URI for {@code user} at this address: {@code sip:user@host:port}, with {@code ;transport=tcp} on TCP. */
    public String uri(String user) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "sip:" + user + "@" + h + ":" + port + (transport == SipTransport.TCP ? ";transport=tcp" : "");
    }

    @Override
    public String toString() {
        return host + ":" + port + "/" + transport;
    }
}
