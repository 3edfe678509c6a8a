package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.switchboard.sip.message.Headers;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.ua.AckWait;
import org.switchboard.sip.uri.SipUri;

/**
 * {@link SipNetwork} over a running {@link SipStack}. The stack is given once it runs ({@link #attach}), after
 * the server's core exists, because the stack needs the core as its transaction user first; the field is
 * written once, before the stack delivers anything the core acts on, and read from any thread.
 */
final class StackNetwork implements SipNetwork {

    private volatile SipStack stack;

    void attach(SipStack stack) {
        this.stack = stack;
    }

    @Override
    public ClientTransaction sendRequest(SipRequest request, Destination destination, ResponseListener listener) {
        return stack.transactions().sendRequest(request, destination, listener);
    }

    @Override
    public ClientTransaction sendCancel(ClientTransaction invite, Headers extra, ResponseListener listener) {
        return stack.transactions().sendCancel(invite, extra, listener);
    }

    @Override
    public SipRequest sendStateless(SipRequest request, Destination destination) {
        return stack.transactions().sendStateless(request, destination);
    }

    @Override
    public void send(SipMessage message, Destination destination) {
        stack.transport().send(message, destination);
    }

    @Override
    public void sendResponse(SipResponse response, IncomingMessage request) {
        stack.transport().sendResponse(response, request);
    }

    @Override
    public List<ListenPoint> listenPoints() {
        return stack.transport().listenPoints();
    }

    @Override
    public Optional<ListenPoint> listenPoint(Transport transport, InetSocketAddress remote) {
        return stack.transport().listenPoint(transport, remote);
    }

    @Override
    public Optional<Destination> webSocketFlow(SipUri uri) {
        return stack.transport().webSocketFlow(uri);
    }

    @Override
    public boolean isOpen(Destination destination) {
        return stack.transport().isOpen(destination);
    }

    @Override
    public TimerConfig timers() {
        return stack.transactions().timers();
    }

    @Override
    public AckWait awaitAck(ScheduledExecutorService scheduler, IncomingMessage invite, SipResponse ok,
                            Runnable timedOut) {
        return AckWait.start(stack, scheduler, invite, ok, AckWait.Resend.UNRELIABLE_ONLY, timedOut);
    }
}
