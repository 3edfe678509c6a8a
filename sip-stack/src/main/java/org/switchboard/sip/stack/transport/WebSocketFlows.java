package org.switchboard.sip.stack.transport;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.uri.SipUri;

/**
 * RFC 7118: a WebSocket client names a {@code .invalid} host in its Contact, which no lookup resolves; it can only be
 * reached over the connection it opened (its flow). Browser SIP libraries make that host a random name per client, so
 * the host seen in a Contact that arrived over a WebSocket connection names that connection: a request later sent to a
 * URI with that host (a registered Contact a proxy forwards to, the remote target of a dialog) goes over it while it
 * is open. Without this, a proxy could reach a WebSocket client only through a Record-Route of its own carrying a flow
 * token, which a drachtio app's proxying does not add.
 */
final class WebSocketFlows {

    private static final String INVALID = ".invalid";
    // a bound on what a misbehaving client can make us remember: each connection holds its own client's hosts only
    private static final int MAX_FLOWS = 100_000;

    private final Map<String, Destination> byHost = new ConcurrentHashMap<>();

    /** Remembers the {@code .invalid} Contact hosts of {@code request}, which came over {@code flow}. */
    void seen(SipRequest request, Destination flow) {
        try {
            for (NameAddress contact : request.contacts()) {
                if (contact.uri() instanceof SipUri sip && isInvalid(sip.host()) && byHost.size() < MAX_FLOWS) {
                    // first come while its connection lives: another connection naming the same host (before any
                    // authentication) must not take over a client's flow; a reconnecting client's old connection
                    // is forgotten when it closes
                    byHost.putIfAbsent(key(sip.host()), flow);
                }
            }
        } catch (SipParseException e) {
            // an unreadable Contact names no flow; the transaction layer or the user answers the request
        }
    }

    /** The flow a URI with a {@code .invalid} host was last seen on; empty for any other URI. */
    Optional<Destination> find(SipUri uri) {
        return isInvalid(uri.host()) ? Optional.ofNullable(byHost.get(key(uri.host()))) : Optional.empty();
    }

    /** Forgets every host seen on the connection from {@code remote} over {@code transport}, which has closed. */
    void closed(Transport transport, InetSocketAddress remote) {
        Destination gone = new Destination(transport, remote);
        byHost.values().removeIf(gone::equals);
    }

    static boolean isInvalid(String host) {
        return host.toLowerCase(Locale.ROOT).endsWith(INVALID);
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
