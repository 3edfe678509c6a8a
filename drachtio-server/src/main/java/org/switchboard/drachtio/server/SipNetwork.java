package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.switchboard.sip.message.Headers;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.ua.AckWait;
import org.switchboard.sip.stack.ua.DialogState;
import org.switchboard.sip.uri.SipUri;

/**
 * What the server's pieces need of the SIP stack: sending in client transactions or statelessly, the listen
 * points, the timer values, and a 2xx sent again until its ACK. {@link StackNetwork} is the one over sip-stack;
 * unit tests give a recording fake, so no piece needs a socket to be tested. Every method may be called from any
 * thread and none blocks.
 */
interface SipNetwork {

    /** Sends a request in a new client transaction; its responses go to {@code listener}. */
    ClientTransaction sendRequest(SipRequest request, Destination destination, ResponseListener listener);

    /** Sends CANCEL for an INVITE client transaction, with extra header lines. */
    ClientTransaction sendCancel(ClientTransaction invite, Headers extra, ResponseListener listener);

    /** Sends CANCEL for an INVITE client transaction. */
    default ClientTransaction sendCancel(ClientTransaction invite, ResponseListener listener) {
        return sendCancel(invite, Headers.of(), listener);
    }

    /** Sends a request outside any transaction (an ACK); returns it as sent, with its Via. */
    SipRequest sendStateless(SipRequest request, Destination destination);

    /** Sends a message as it is (a retransmitted ACK, a response forwarded statelessly). */
    void send(SipMessage message, Destination destination);

    /** Sends a response back the way {@code request} came. */
    void sendResponse(SipResponse response, IncomingMessage request);

    /** The bound listen points. */
    List<ListenPoint> listenPoints();

    /** The listen point a message to {@code remote} over {@code transport} leaves from. */
    Optional<ListenPoint> listenPoint(Transport transport, InetSocketAddress remote);

    /**
     * Where a WebSocket client's {@code .invalid} host is reached: the connection it came over (RFC 7118); empty for
     * other hosts and for a client whose connection has closed.
     */
    Optional<Destination> webSocketFlow(SipUri uri);

    /** Whether a connection to (or from) {@code destination} is open (RFC 5626: whether a flow still exists). */
    boolean isOpen(Destination destination);

    /** Where {@code hop} points without a DNS lookup: an IP literal, or a WebSocket client over its own connection. */
    default Optional<Destination> withoutLookup(SipUri hop) {
        return Destination.ofLiteral(hop).or(() -> webSocketFlow(hop));
    }

    /**
     * Where a dialog's requests go: {@link DialogState#destination()}, except that a next hop naming no transport,
     * which means UDP (RFC 3263), is reached over the transport the dialog began on when this server has no UDP
     * listen point, as drachtio-server's SIP stack picks any transport it has for such a URI. Without this, a callee
     * reached over TCP or TLS whose Contact names no transport could not be sent its ACK or BYE by a server without
     * UDP.
     */
    default Destination inDialog(DialogState dialog) {
        Destination d = dialog.destination();
        if (d.transport() == Transport.UDP && dialog.nextHop() instanceof SipUri hop && hop.transport().isEmpty()
                && listenPoint(Transport.UDP, d.address()).isEmpty()) {
            return new Destination(dialog.origin().transport(), d.address());
        }
        return d;
    }

    /** T1, T2 and the transaction timeout. */
    TimerConfig timers();

    /**
     * Sends {@code ok} again (over UDP) until {@link AckWait#acknowledge()}; {@code timedOut} runs on
     * {@code scheduler} when no ACK came within 64 T1.
     */
    AckWait awaitAck(ScheduledExecutorService scheduler, IncomingMessage invite, SipResponse ok, Runnable timedOut);
}
