package org.switchboard.sip.stack.transaction;

import java.util.concurrent.CompletableFuture;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.IncomingMessage;

/** The server INVITE and non-INVITE state machines (RFC 3261 17.2.1, 17.2.2; RFC 6026 Accepted). */
final class ServerTx extends TransactionTimers implements ServerTransaction {

    enum State { TRYING, PROCEEDING, ACCEPTED, COMPLETED, CONFIRMED, TERMINATED }

    private final TransactionLayer layer;
    private final String key;
    private final IncomingMessage incoming;
    private final SipRequest request;
    private final boolean invite;
    private final boolean reliable;
    private State state;
    // the response sent again for a retransmitted request; none in Accepted, which absorbs them (and so holds no message
    // for its 64 T1)
    private SipResponse last;
    private boolean answered;
    private long interval;

    ServerTx(TransactionLayer layer, String key, IncomingMessage incoming) {
        this.layer = layer;
        this.key = key;
        this.incoming = incoming;
        this.request = (SipRequest) incoming.message();
        this.invite = request.isMethod("INVITE");
        this.reliable = incoming.transport().isReliable();
        this.state = invite ? State.PROCEEDING : State.TRYING;
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public IncomingMessage incoming() {
        return incoming;
    }

    String key() {
        return key;
    }

    boolean isInvite() {
        return invite;
    }

    @Override
    public synchronized boolean hasFinalResponse() {
        return answered;
    }

    synchronized State state() {
        return state;
    }

    @Override
    public CompletableFuture<Void> respond(SipResponse response) {
        synchronized (this) {
            int status = response.status();
            switch (state) {
                case TRYING, PROCEEDING -> {
                    if (status < 200) {
                        state = State.PROCEEDING;
                    } else if (invite && status < 300) {
                        enterAccepted();
                    } else {
                        enterCompleted();
                    }
                }
                case ACCEPTED -> {
                    if (!(invite && status >= 200 && status < 300)) {
                        throw new IllegalStateException("a final response was already sent to " + request.startLine());
                    }
                }
                default -> throw new IllegalStateException("a final response was already sent to " + request.startLine());
            }
            last = state == State.ACCEPTED ? null : response;
            answered |= status >= 200;
        }
        return layer.wire().sendResponse(response, incoming);
    }

    /** A retransmission of the request arrived. */
    void onRetransmission() {
        SipResponse resend;
        synchronized (this) {
            // RFC 6026: INVITE retransmissions in Accepted are absorbed; the UAS core retransmits the 2xx itself
            resend = state == State.PROCEEDING || state == State.COMPLETED ? last : null;
        }
        if (resend != null) {
            layer.meters().retransmitted(request.method());
            layer.wire().sendResponse(resend, incoming);
        }
    }

    /** An ACK matched this INVITE transaction; returns whether it belongs to the TU (ACK for a 2xx). */
    synchronized boolean onAck() {
        if (state == State.COMPLETED) {
            cancelTimers();
            state = State.CONFIRMED;
            // Timer I: absorb ACK retransmissions for T4 on unreliable transports
            timeout = layer.schedule(this::terminate, reliable ? 0 : layer.timers().t4Millis());
            return false;
        }
        return state == State.ACCEPTED;
    }

    private void enterAccepted() {
        state = State.ACCEPTED;
        timeout = layer.schedule(this::terminate, layer.timers().transactionTimeout().toMillis()); // Timer L
    }

    private void enterCompleted() {
        state = State.COMPLETED;
        if (invite) {
            if (!reliable) {
                interval = layer.timers().t1Millis();
                retransmit = layer.schedule(this::timerG, interval);
            }
            timeout = layer.schedule(this::terminate, layer.timers().transactionTimeout().toMillis()); // Timer H
        } else {
            timeout = layer.schedule(this::terminate, reliable ? 0 : layer.timers().transactionTimeout().toMillis()); // Timer J
        }
    }

    private void timerG() {
        SipResponse resend;
        synchronized (this) {
            if (state != State.COMPLETED) {
                return;
            }
            resend = last;
            interval = Math.min(interval * 2, layer.timers().t2Millis());
            retransmit = layer.schedule(this::timerG, interval);
        }
        layer.meters().retransmitted(request.method());
        layer.wire().sendResponse(resend, incoming);
    }

    void terminate() {
        synchronized (this) {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            cancelTimers();
        }
        layer.removeServer(this);
    }

    @Override
    public String toString() {
        return "server " + request.method() + " " + key + " " + state;
    }
}
