package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.Headers;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.ua.AckWait;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.time.ManualScheduler;

/**
 * A {@link SipNetwork} that sends nothing: it records what the server sends, one UDP listen point, and gives each
 * request a Via as the transaction layer would. Tests answer a recorded request through its listener. It sends no
 * 2xx again: {@link #awaitAck} records the 2xx and the time-out and returns a wait on a scheduler of its own that
 * never runs (tests run the recorded time-out themselves).
 */
final class FakeNetwork implements SipNetwork {

    /** A request sent in a client transaction, and who hears its responses. */
    record Sent(FakeClientTransaction tx, ResponseListener listener) {
        SipRequest request() {
            return tx.request();
        }

        /** Delivers a response to this request, with a To tag when {@code toTag} is given. */
        SipResponse answer(int status, String toTag, String... headerNameValues) {
            SipResponse.Builder b = SipResponse.forRequest(tx.request(), status);
            if (toTag != null) {
                b.setHeader(HeaderNames.TO, tx.request().to().withTag(toTag).toString());
            }
            for (int i = 0; i < headerNameValues.length; i += 2) {
                b.addHeader(headerNameValues[i], headerNameValues[i + 1]);
            }
            SipResponse response = b.build();
            if (status >= 200) {
                tx.finalResponse = true;
            }
            listener.onResponse(tx, response);
            return response;
        }
    }

    static final class FakeClientTransaction implements ClientTransaction {
        private final SipRequest request;
        private final Destination destination;
        volatile boolean finalResponse;

        FakeClientTransaction(SipRequest request, Destination destination) {
            this.request = request;
            this.destination = destination;
        }

        @Override
        public SipRequest request() {
            return request;
        }

        @Override
        public Destination destination() {
            return destination;
        }

        @Override
        public boolean hasFinalResponse() {
            return finalResponse;
        }
    }

    final List<Sent> requests = new CopyOnWriteArrayList<>();
    final List<SipRequest> stateless = new CopyOnWriteArrayList<>();
    final List<SipMessage> forwarded = new CopyOnWriteArrayList<>();
    final List<SipResponse> acksAwaited = new CopyOnWriteArrayList<>();
    /** Per {@link #acksAwaited} entry: the scheduler the server gave the wait and what it runs when no ACK comes. */
    final List<Map.Entry<ScheduledExecutorService, Runnable>> ackTimeouts = new CopyOnWriteArrayList<>();
    private final ListenPoint listenPoint;
    private final ManualScheduler idle = new ManualScheduler();
    private final Map<String, Runnable> whileSending = new ConcurrentHashMap<>();

    FakeNetwork(InetSocketAddress local) {
        this.listenPoint = new ListenPoint(Transport.UDP, local);
    }

    /** Runs {@code action} once, while the next request with {@code method} is being sent (after it is recorded). */
    void whileSending(String method, Runnable action) {
        whileSending.put(method, action);
    }

    /** The requests sent with this method, in order. */
    List<Sent> sent(String method) {
        return requests.stream().filter(s -> s.request().isMethod(method)).toList();
    }

    private static SipRequest withVia(SipRequest request, Destination d) {
        return request.toBuilder().addHeaderFirst(HeaderNames.VIA, "SIP/2.0/" + d.transport().name()
                + " 127.0.0.1:5060;branch=" + TransactionLayer.newBranch()).build();
    }

    @Override
    public ClientTransaction sendRequest(SipRequest request, Destination destination, ResponseListener listener) {
        FakeClientTransaction tx = new FakeClientTransaction(withVia(request, destination), destination);
        requests.add(new Sent(tx, listener));
        Runnable during = whileSending.remove(request.method());
        if (during != null) {
            during.run();
        }
        return tx;
    }

    @Override
    public ClientTransaction sendCancel(ClientTransaction invite, Headers extra, ResponseListener listener) {
        SipRequest inv = invite.request();
        SipRequest.Builder cancel = SipRequest.builder("CANCEL", inv.requestUriText())
                .addHeader(HeaderNames.VIA, inv.headers().first(HeaderNames.VIA).orElseThrow())
                .addHeader(HeaderNames.FROM, inv.headers().first(HeaderNames.FROM).orElseThrow())
                .addHeader(HeaderNames.TO, inv.headers().first(HeaderNames.TO).orElseThrow())
                .addHeader(HeaderNames.CALL_ID, inv.callId().orElseThrow())
                .addHeader(HeaderNames.CSEQ, inv.cseq().number() + " CANCEL");
        FakeClientTransaction tx = new FakeClientTransaction(cancel.build(), invite.destination());
        requests.add(new Sent(tx, listener));
        return tx;
    }

    @Override
    public SipRequest sendStateless(SipRequest request, Destination destination) {
        SipRequest sent = withVia(request, destination);
        stateless.add(sent);
        return sent;
    }

    @Override
    public void send(SipMessage message, Destination destination) {
        forwarded.add(message);
    }

    @Override
    public void sendResponse(SipResponse response, IncomingMessage request) {
        forwarded.add(response);
    }

    @Override
    public List<ListenPoint> listenPoints() {
        return List.of(listenPoint);
    }

    @Override
    public Optional<ListenPoint> listenPoint(Transport transport, InetSocketAddress remote) {
        return transport == listenPoint.transport() ? Optional.of(listenPoint) : Optional.empty();
    }

    @Override
    public Optional<Destination> webSocketFlow(SipUri uri) {
        return Optional.empty();
    }

    @Override
    public boolean isOpen(Destination destination) {
        return false;
    }

    @Override
    public TimerConfig timers() {
        return TimerConfig.DEFAULTS;
    }

    @Override
    public AckWait awaitAck(ScheduledExecutorService scheduler, IncomingMessage invite, SipResponse ok,
                            Runnable timedOut) {
        acksAwaited.add(ok);
        ackTimeouts.add(Map.entry(scheduler, timedOut));
        return AckWait.start(timers(), idle, ok, () -> { }, timedOut);
    }
}
