package org.switchboard.sip.stack.transaction;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.Headers;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.message.Via;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.SipMeters;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportLayer;
import org.switchboard.sip.stack.transport.TransportListener;

/**
 * The transaction layer: matches what the transport reads to client and server transactions, creates
 * server transactions for new requests, answers malformed requests with 400, and runs every timer on
 * one scheduler: a {@link DeadlineScheduler} thread of its own, or the one it is given.
 */
public final class TransactionLayer implements TransportListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Lower case and digits only: sipp (3.6) finds a response's CSeq method by searching the whole message for the
     * bytes {@code CSeq}, so a To tag that happens to contain them (one in 1.6 million tags of 12 mixed-case
     * characters) made it reject a good 200 and fail the call, as a one-hour soak did.
     */
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final TimerConfig timers;
    private final TransactionUser user;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final Map<String, ServerTx> servers = new ConcurrentHashMap<>();
    private final Map<String, ClientTx> clients = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();
    private volatile TransportLayer transport;
    private volatile Wire wire;
    private volatile TransactionMeters meters = new TransactionMeters(SipMeters.none(), this);

    TransactionLayer(TimerConfig timers, ScheduledExecutorService timer, boolean ownsTimer, TransactionUser user) {
        this.timers = timers;
        this.user = user;
        this.timer = timer;
        this.ownsTimer = ownsTimer;
    }

    /** A transaction layer for {@code user} with a timer thread of its own; {@link #attach} it to the transport it listens to. */
    public static TransactionLayer create(TimerConfig timers, TransactionUser user) {
        return new TransactionLayer(timers, DeadlineScheduler.create("sip-timers"), true, user);
    }

    /**
     * A transaction layer for {@code user} whose timers run on {@code scheduler}, which stays the caller's: {@link #close}
     * does not shut it down.
     */
    public static TransactionLayer create(TimerConfig timers, ScheduledExecutorService scheduler, TransactionUser user) {
        return new TransactionLayer(timers, Objects.requireNonNull(scheduler, "scheduler"), false, user);
    }

    /**
     * Connects the layer to the transport it sends over (the transport was started with this layer as listener); its
     * meters go beside the transport's.
     */
    public void attach(TransportLayer transport) {
        this.transport = transport;
        attach(new Wire() {
            @Override
            public CompletableFuture<Void> send(SipMessage message, Destination destination) {
                return transport.send(message, destination);
            }

            @Override
            public CompletableFuture<Void> sendResponse(SipResponse response, IncomingMessage request) {
                return transport.sendResponse(response, request);
            }
        }, transport.meters());
    }

    /** Sends through {@code wire}: the transport's, or a test's recorder; counts in {@code sipMeters}. */
    void attach(Wire wire, SipMeters sipMeters) {
        this.meters = new TransactionMeters(sipMeters, this);
        this.wire = wire;
    }

    /** What the state machines send through. */
    Wire wire() {
        Wire w = wire;
        if (w == null) {
            throw new IllegalStateException("the transaction layer is not attached to a transport");
        }
        return w;
    }

    /** The transport this layer sends over. */
    public TransportLayer transport() {
        TransportLayer t = transport;
        if (t == null) {
            throw new IllegalStateException("the transaction layer is not attached to a transport");
        }
        return t;
    }

    /** The timers. */
    public TimerConfig timers() {
        return timers;
    }

    /** The number of live server and client transactions. */
    public int activeTransactions() {
        return servers.size() + clients.size();
    }

    int clientTransactions() {
        return clients.size();
    }

    int serverTransactions() {
        return servers.size();
    }

    TransactionMeters meters() {
        return meters;
    }

    /** Requests answered with 400 (or dropped, for ACK) because they were malformed. */
    public long rejectedRequests() {
        return rejected.sum();
    }

    /**
     * Sends a request in a new client transaction: a top Via with a fresh branch and {@code rport} is
     * added, and UDP becomes TCP when the request is too large for a datagram.
     */
    public ClientTransaction sendRequest(SipRequest request, Destination destination, ResponseListener listener) {
        Destination actual = chooseTransport(request, destination);
        return startClient(withNewVia(request, actual), actual, listener);
    }

    /** Starts a client transaction for a request that carries its top Via already. */
    ClientTx startClient(SipRequest request, Destination destination, ResponseListener listener) {
        ClientTx tx = new ClientTx(this, clientKey(request.topVia().branch().orElseThrow(), request.method()), request,
                destination, listener);
        clients.put(tx.key(), tx);
        meters.created(false);
        tx.start();
        return tx;
    }

    /**
     * Sends CANCEL for an INVITE client transaction (RFC 3261 section 9.1): same Request-URI, Call-ID,
     * From, To, CSeq number, Route and top Via, in a transaction of its own.
     */
    public ClientTransaction sendCancel(ClientTransaction invite, ResponseListener listener) {
        return sendCancel(invite, Headers.of(), listener);
    }

    /** Sends CANCEL for an INVITE client transaction with extra header lines, such as Reason (RFC 3326). */
    public ClientTransaction sendCancel(ClientTransaction invite, Headers extra, ResponseListener listener) {
        SipRequest inv = invite.request();
        SipRequest cancel = sameTransaction(inv, "CANCEL", inv.headers().first(HeaderNames.TO).orElseThrow());
        if (extra.size() > 0) {
            SipRequest.Builder b = cancel.toBuilder();
            extra.forEach(h -> b.addHeader(h.name(), h.value()));
            cancel = b.build();
        }
        return startClient(cancel, invite.destination(), listener);
    }

    /**
     * A request that reuses an INVITE's transaction identity, as CANCEL (RFC 3261 9.1) and the ACK for a
     * non-2xx (17.1.1.3) do: same Request-URI, top Via, Route, From, Call-ID and CSeq number.
     */
    static SipRequest sameTransaction(SipRequest invite, String method, String to) {
        SipRequest.Builder b = SipRequest.builder(method, invite.requestUriText())
                .addHeader(HeaderNames.VIA, invite.headers().first(HeaderNames.VIA).orElseThrow())
                .addHeader(HeaderNames.MAX_FORWARDS, "70");
        invite.headers().all(HeaderNames.ROUTE).forEach(r -> b.addHeader(HeaderNames.ROUTE, r));
        return b.addHeader(HeaderNames.FROM, invite.headers().first(HeaderNames.FROM).orElseThrow())
                .addHeader(HeaderNames.TO, to)
                .addHeader(HeaderNames.CALL_ID, invite.callId().orElseThrow())
                .addHeader(HeaderNames.CSEQ, invite.cseq().number() + " " + method)
                .build();
    }

    /**
     * Sends a request outside any transaction (the ACK for a 2xx) with a fresh top Via, and returns it as sent;
     * a failure to send is logged, as nothing would retransmit it anyway.
     */
    public SipRequest sendStateless(SipRequest request, Destination destination) {
        Destination actual = chooseTransport(request, destination);
        SipRequest sent = withNewVia(request, actual);
        transport().send(sent, actual).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.debug("could not send {} to {}: {}", sent.method(), actual, error.getMessage());
            }
        });
        return sent;
    }

    private Destination chooseTransport(SipRequest request, Destination destination) {
        Transport t = transport().transportFor(destination.transport(), request.toBytes().length + 100, false);
        return t == destination.transport() ? destination : new Destination(t, destination.address());
    }

    private SipRequest withNewVia(SipRequest request, Destination destination) {
        ListenPoint local = transport().listenPoint(destination.transport(), destination.address())
                .orElseThrow(() -> new IllegalStateException("no " + destination.transport() + " listen point"));
        String via = "SIP/2.0/" + destination.transport() + " " + local.hostForUri() + ":" + local.address().getPort()
                + ";branch=" + newBranch() + ";rport"
                // RFC 5923: a TLS peer that verified our certificate may send its requests back over this connection
                + (destination.transport() == Transport.TLS ? ";alias" : "");
        return request.toBuilder().addHeaderFirst(HeaderNames.VIA, via).build();
    }

    /** A fresh RFC 3261 branch: the magic cookie and 16 random characters. */
    public static String newBranch() {
        return Via.MAGIC_COOKIE + randomToken(16);
    }

    /** A random token of lower-case letters and digits (5.17 bits a character), for tags and Call-IDs. */
    public static String randomToken(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    @Override
    public void onMessage(IncomingMessage incoming) {
        if (!user.accepts(incoming)) {
            return;
        }
        SipMessage message = incoming.message();
        if (message instanceof SipResponse response) {
            onResponse(incoming, response);
        } else {
            onRequest(incoming, (SipRequest) message);
        }
    }

    private void onResponse(IncomingMessage incoming, SipResponse response) {
        String key;
        try {
            response.validate();
            key = clientKey(response.topVia().branch().orElse(""), response.cseq().method());
        } catch (SipParseException e) {
            LOG.debug("dropping malformed response from {}: {}", incoming.remote(), e.getMessage());
            return;
        }
        ClientTx tx = clients.get(key);
        if (tx != null) {
            tx.onResponse(response);
        } else {
            user.onStrayResponse(incoming);
        }
    }

    private void onRequest(IncomingMessage incoming, SipRequest request) {
        try {
            request.validate();
        } catch (SipParseException e) {
            if (!isAckWithOtherCSeqMethod(request)) {
                reject(incoming, request, e.getMessage());
                return;
            }
        }
        String method = request.method();
        if (method.equals("ACK")) {
            ServerTx invite = servers.get(serverKey(request, "INVITE"));
            if (invite == null || invite.onAck()) {
                user.onAck(incoming);
            }
            return;
        }
        String key = serverKey(request, method);
        ServerTx fresh = new ServerTx(this, key, incoming);
        ServerTx existing = servers.putIfAbsent(key, fresh);
        if (existing != null) {
            meters.retransmissionReceived(method);
            existing.onRetransmission();
            return;
        }
        meters.created(true);
        if (method.equals("CANCEL")) {
            user.onCancel(fresh, Optional.<ServerTransaction>ofNullable(servers.get(serverKey(request, "INVITE"))));
            return;
        }
        if (fresh.isInvite()) {
            fresh.respond(SipResponse.forRequest(request, 100).build());
        }
        user.onRequest(fresh);
    }

    @Override
    public void onMalformed(String reason, Transport transport, InetSocketAddress remote, Optional<IncomingMessage> request) {
        request.ifPresent(r -> reject(r, (SipRequest) r.message(), reason));
    }

    /**
     * An ACK that is well formed but for its CSeq method (some UAs write the INVITE's): tolerated as drachtio-server
     * does, since only the CSeq number matters to an ACK and no response could report the fault.
     */
    private static boolean isAckWithOtherCSeqMethod(SipRequest request) {
        if (!request.isMethod("ACK")) {
            return false;
        }
        try {
            request.toBuilder().setHeader(HeaderNames.CSEQ, request.cseq().number() + " ACK").build().validate();
            return true;
        } catch (SipParseException e) {
            return false;
        }
    }

    /**
     * Answers a malformed request with a stateless 400 saying what was wrong, sent where it came from (its Via may
     * be the fault); ACKs are only dropped.
     */
    private void reject(IncomingMessage incoming, SipRequest request, String reason) {
        rejected.increment();
        LOG.debug("rejecting malformed {} from {}: {}", request.method(), incoming.remote(), reason);
        if (request.isMethod("ACK")) {
            return;
        }
        SipResponse.Builder b = SipResponse.forRequest(request, 400)
                .addHeader("Warning", "399 switchboard \"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        try {
            if (request.to().tag().isEmpty()) {
                b.setHeader(HeaderNames.TO, request.to().withTag(randomToken(10)).toString());
            }
        } catch (SipParseException e) {
            // the To header is what is malformed: echo it as it came
        }
        // to where it came from: a malformed Via is often what is wrong
        transport().sendResponseToSource(b.build(), incoming);
    }

    /** RFC 3261 17.2.3 matching, with the RFC 2543 fallback when the branch lacks the magic cookie. */
    static String serverKey(SipRequest request, String method) {
        Via top = request.topVia();
        if (top.hasRfc3261Branch()) {
            return top.branch().get() + '|' + top.host() + ':' + top.port().orElse(-1) + '|' + method;
        }
        // RFC 2543: Request-URI, From tag, Call-ID, CSeq number and top Via; the To tag is left out so
        // that the ACK (which carries the tag of our response) matches its INVITE
        return "2543|" + request.requestUriText() + '|' + request.from().tag().orElse("") + '|'
                + request.callId().orElseThrow() + '|' + request.cseq().number() + '|' + top + '|' + method;
    }

    private static String clientKey(String branch, String method) {
        return branch + '|' + (method.equals("ACK") ? "INVITE" : method);
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return timer.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("SIP timer task failed", e);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    void removeServer(ServerTx tx) {
        servers.remove(tx.key(), tx);
    }

    void removeClient(ClientTx tx) {
        clients.remove(tx.key(), tx);
    }

    /** Stops the timers (those on a scheduler of its own; a given one's are canceled); live transactions are dropped. */
    @Override
    public void close() {
        if (ownsTimer) {
            timer.shutdownNow();
            return;
        }
        servers.values().forEach(ServerTx::terminate);
        clients.values().forEach(ClientTx::terminate);
    }
}
