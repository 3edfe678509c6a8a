package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * This server's own SIP addresses as peers and apps see them: the advertised host (the external IP when one is
 * configured), its Contact and Record-Route host, the {@code user@localhost} rewriting of what apps write, and
 * whether an address or URI names this server. Holds no mutable state; any thread.
 */
final class LocalAddresses {

    private static final Pattern LOCALHOST = Pattern.compile("@localhost(?=[>;\\s]|$)");

    private final Optional<String> externalIp;
    private final SipNetwork network;

    LocalAddresses(Optional<String> externalIp, SipNetwork network) {
        this.externalIp = externalIp;
        this.network = network;
    }

    String advertisedHost(ListenPoint lp) {
        return externalIp.orElse(lp.hostForUri());
    }

    /** The Contact of this server on a listen point. */
    String contact(ListenPoint lp) {
        return "<sip:" + hostPort(lp) + ">";
    }

    /** {@code host:port[;transport=tcp]} of the listen point used toward {@code d}, for Record-Route and Path. */
    String hostFor(Destination d) {
        return hostPort(network.listenPoint(d.transport(), d.address()).orElseThrow());
    }

    /**
     * {@code host:port[;transport=...]} of the listen point a request arrived on, for the second Record-Route of a
     * request that leaves over another one; empty when it cannot be told.
     */
    Optional<String> hostOfArrival(IncomingMessage incoming) {
        InetSocketAddress local = incoming.local();
        if (local == null) {
            return Optional.empty();
        }
        return network.listenPoints().stream()
                .filter(lp -> lp.transport() == incoming.transport() && lp.address().getPort() == local.getPort())
                .findFirst().map(this::hostPort);
    }

    private String hostPort(ListenPoint lp) {
        return advertisedHost(lp) + ":" + lp.address().getPort()
                + (lp.transport() == Transport.UDP ? "" : ";transport=" + AppFrames.proto(lp.transport()));
    }

    /** Rewrites {@code user@localhost} to this server's address for the transport in use (docs/drachtio.md). */
    UnaryOperator<String> localhost(ListenPoint lp) {
        String replacement = Matcher.quoteReplacement("@" + advertisedHost(lp) + ":" + lp.address().getPort());
        return value -> LOCALHOST.matcher(value).replaceAll(replacement);
    }

    boolean isOwnAddress(Destination d) {
        for (ListenPoint lp : network.listenPoints()) {
            InetSocketAddress a = lp.address();
            if (a.getPort() == d.address().getPort() && (a.getAddress().equals(d.address().getAddress())
                    || (a.getAddress().isAnyLocalAddress() && d.address().getAddress().isLoopbackAddress()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a URI names one of this server's SIP addresses (its IP literal and port, or the external IP). */
    boolean isOwnUri(Uri uri) {
        if (!(uri instanceof SipUri sip)) {
            return false;
        }
        if (externalIp.filter(ip -> ip.equals(sip.host())).isPresent()) {
            return true;
        }
        try {
            return Destination.ofLiteral(sip).filter(this::isOwnAddress).isPresent();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The SIP transports as apps are told them: [advertised list, bound list], each {@code proto/host:port,...}. */
    List<String> hostports() {
        List<String> advertised = new ArrayList<>();
        List<String> local = new ArrayList<>();
        for (ListenPoint lp : network.listenPoints()) {
            String proto = AppFrames.proto(lp.transport()) + "/";
            advertised.add(proto + advertisedHost(lp) + ":" + lp.address().getPort());
            local.add(proto + lp.hostForUri() + ":" + lp.address().getPort());
        }
        return List.of(String.join(",", advertised), String.join(",", local));
    }
}
