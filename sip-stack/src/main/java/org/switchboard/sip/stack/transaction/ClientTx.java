package org.switchboard.sip.stack.transaction;

import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.TransportError;

/** The client INVITE and non-INVITE state machines (RFC 3261 17.1.1, 17.1.2; RFC 6026 Accepted). */
final class ClientTx extends TransactionTimers implements ClientTransaction {

    enum State { CALLING, TRYING, PROCEEDING, ACCEPTED, COMPLETED, TERMINATED }

    private final TransactionLayer layer;
    private final String key;
    private final SipRequest request;
    private final Destination destination;
    private final ResponseListener listener;
    private final boolean invite;
    private final boolean reliable;
    private State state;
    private SipRequest ack;
    private long interval;
    private boolean finalReceived;

    ClientTx(TransactionLayer layer, String key, SipRequest request, Destination destination, ResponseListener listener) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.destination = destination;
        this.listener = listener;
        this.invite = request.isMethod("INVITE");
        this.reliable = destination.transport().isReliable();
        this.state = invite ? State.CALLING : State.TRYING;
    }

    @Override
    public SipRequest request() {
        return request;
    }

    @Override
    public Destination destination() {
        return destination;
    }

    String key() {
        return key;
    }

    @Override
    public synchronized boolean hasFinalResponse() {
        return finalReceived;
    }

    void start() {
        synchronized (this) {
            interval = layer.timers().t1Millis();
            if (!reliable) {
                retransmit = layer.schedule(this::retransmit, interval); // Timer A or E
            }
            timeout = layer.schedule(this::timedOut, layer.timers().transactionTimeout().toMillis()); // Timer B or F
        }
        send(request);
    }

    private void retransmit() {
        synchronized (this) {
            boolean again = invite ? state == State.CALLING : state == State.TRYING || state == State.PROCEEDING;
            if (!again) {
                return;
            }
            // INVITE doubles without a cap (Timer A); non-INVITE caps at T2, and waits T2 once proceeding (Timer E)
            interval = invite ? interval * 2
                    : state == State.PROCEEDING ? layer.timers().t2Millis() : Math.min(interval * 2, layer.timers().t2Millis());
            retransmit = layer.schedule(this::retransmit, interval);
        }
        layer.meters().retransmitted(request.method());
        send(request);
    }

    private void timedOut() {
        synchronized (this) {
            if (finalReceived || (invite && state == State.PROCEEDING)) {
                return; // Timer B only runs in Calling; a proceeding INVITE waits for the TU to cancel it
            }
        }
        if (terminate()) {
            listener.onTimeout(this);
        }
    }

    void onResponse(SipResponse response) {
        int status = response.status();
        SipRequest resendAck = null;
        boolean deliver;
        synchronized (this) {
            finalReceived |= status >= 200;
            switch (state) {
                case CALLING, TRYING, PROCEEDING -> {
                    deliver = true;
                    if (status < 200) {
                        if (invite && retransmit != null) {
                            retransmit.cancel(false);
                        }
                        state = State.PROCEEDING;
                    } else if (invite && status < 300) {
                        cancelTimers();
                        state = State.ACCEPTED;
                        timeout = layer.schedule(this::terminate, layer.timers().transactionTimeout().toMillis()); // Timer M
                    } else {
                        cancelTimers();
                        state = State.COMPLETED;
                        if (invite) {
                            ack = ackFor(response);
                            resendAck = ack;
                        }
                        // Timer D (at least 32 s by RFC 3261, 64 T1 here so tests can shorten it) or Timer K (T4)
                        long wait = reliable ? 0 : invite ? layer.timers().transactionTimeout().toMillis() : layer.timers().t4Millis();
                        timeout = layer.schedule(this::terminate, wait);
                    }
                }
                case ACCEPTED -> deliver = status >= 200 && status < 300; // 2xx retransmissions and forks go to the TU
                case COMPLETED -> {
                    deliver = false;
                    resendAck = invite && status >= 300 ? ack : null; // a retransmitted final response gets the ACK again
                }
                default -> deliver = false;
            }
        }
        if (resendAck != null) {
            send(resendAck);
        }
        if (deliver) {
            listener.onResponse(this, response);
        }
    }

    /** RFC 3261 17.1.1.3: the ACK for a non-2xx final response. */
    private SipRequest ackFor(SipResponse response) {
        return TransactionLayer.sameTransaction(request, "ACK", response.headers().first(HeaderNames.TO).orElseThrow());
    }

    private void send(SipRequest message) {
        layer.wire().send(message, destination).whenComplete((ok, error) -> {
            if (error != null && terminate()) {
                listener.onTransportError(this, new TransportError(destination, error));
            }
        });
    }

    /** Ends the transaction; returns false when it had already ended. */
    boolean terminate() {
        synchronized (this) {
            if (state == State.TERMINATED) {
                return false;
            }
            state = State.TERMINATED;
            cancelTimers();
        }
        layer.removeClient(this);
        return true;
    }

    @Override
    public String toString() {
        return "client " + request.method() + " " + key + " " + state;
    }
}
