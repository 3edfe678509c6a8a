package org.switchboard.sip.stack.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address the stack listens on for one transport.
 *
 * @param transport the transport
 * @param address the address and port; port 0 picks a free one
 */
public record ListenPoint(Transport transport, InetSocketAddress address) {

    // drachtio-server's --contact: sip:host[:port][;transport=t1,t2...] or sips:..., host an IP, a name, [IPv6] or *
    private static final Pattern CONTACT = Pattern.compile(
            "(?i)(sips?):(\\*|\\[[0-9a-f:.]+\\]|[^:;\\[\\]]+)(?::(\\d{1,5}))?(?:;transport=([a-z,]+))?");

    public ListenPoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }

    /** A listen point on host and port. */
    public static ListenPoint of(Transport transport, String host, int port) {
        return new ListenPoint(transport, new InetSocketAddress(host, port));
    }

    /**
     * The listen points of a contact in drachtio-server's {@code --contact} syntax: {@code sip:host[:port]} with an
     * optional {@code ;transport=} list of {@code udp}, {@code tcp}, {@code tls}, {@code ws} and {@code wss} (none:
     * UDP and TCP, or TLS for {@code sips:}); {@code *} for the host means every address. A missing port is the
     * transport's default (5060, 5061 for TLS, 80 for WS, 443 for WSS).
     *
     * @throws IllegalArgumentException naming the contact when it does not follow that syntax
     */
    public static List<ListenPoint> parseContact(String contact) {
        Matcher m = CONTACT.matcher(contact.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("contact '" + contact
                    + "' is not sip:host[:port][;transport=udp,tcp,tls,ws,wss] (or sips:...)");
        }
        boolean sips = m.group(1).equalsIgnoreCase("sips");
        String host = m.group(2).equals("*") ? "0.0.0.0" : m.group(2).replaceAll("[\\[\\]]", "");
        List<ListenPoint> points = new ArrayList<>();
        String names = m.group(4) == null ? (sips ? "tls" : "udp,tcp") : m.group(4);
        for (String name : names.toLowerCase(Locale.ROOT).split(",")) {
            Transport transport = Transport.forUri(sips, Optional.of(name));
            int port = m.group(3) == null ? transport.defaultPort() : Integer.parseInt(m.group(3));
            if (port > 65535) {
                throw new IllegalArgumentException("contact '" + contact + "': port " + port + " is above 65535");
            }
            points.add(of(transport, host, port));
        }
        return List.copyOf(points);
    }

    /** The host part for a Via sent-by or a Contact: IPv6 addresses in brackets. */
    public String hostForUri() {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return transport + " " + hostForUri() + ":" + address.getPort();
    }
}
