package org.switchboard.testkit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.session.MediaClock;
import org.switchboard.media.session.PortRange;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transaction.TransactionUser;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.uri.SipUri;

/**
 * The phone: the transaction user of its own SIP stack. Everything the stack reports is handed to the phone's
 * lane (one thread), where calls change state and handlers run; the test's thread only sends work there and waits
 * on futures with deadlines.
 */
final class Phone implements SipPhone, TransactionUser {

    private static final Logger LOG = LoggerFactory.getLogger(Phone.class);
    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, MESSAGE, UPDATE, NOTIFY";

    final PhoneConfig config;
    final SipStack stack;
    final ListenPoint local;
    final ScheduledExecutorService lane;
    final Ladder ladder;
    final EventLoopGroup rtpGroup;
    final MediaClock clock;
    final PortRange rtpPorts;
    final Requests requests;
    private final Map<String, PhoneCall> calls = new ConcurrentHashMap<>();
    private final BlockingQueue<PhoneCall> incoming = new LinkedBlockingQueue<>();
    private final List<SipRequest> received = new CopyOnWriteArrayList<>();
    private final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();

    private Phone(PhoneConfig config) {
        this.config = config;
        this.ladder = new Ladder(config.user());
        this.lane = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-phone-" + config.user());
            t.setDaemon(true);
            return t;
        });
        TransportConfig transport = TransportConfig.builder()
                .listen(transportOf(config.transport()), config.address().getHostAddress(), config.port()).build();
        SipStack started;
        try {
            started = SipStack.start(new SipStackConfig(transport, TimerConfig.scaled(config.t1())), this);
        } catch (RuntimeException e) {
            lane.shutdownNow();
            throw e;
        }
        this.stack = started;
        this.local = stack.transport().listenPoints().get(0);
        this.rtpGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.clock = MediaClock.start();
        this.rtpPorts = new PortRange(config.firstRtpPort(), config.lastRtpPort());
        this.requests = new Requests(this);
    }

    static Phone start(PhoneConfig config) {
        Phone phone = new Phone(config);
        LOG.debug("phone {} listening at {}", config.user(), phone.uri());
        return phone;
    }

    static Transport transportOf(SipTransport transport) {
        return transport == SipTransport.TCP ? Transport.TCP : Transport.UDP;
    }

    // ---- identity ------------------------------------------------------------------------------------------------

    @Override
    public String uri() {
        return "sip:" + config.user() + "@" + local.hostForUri() + ":" + local.address().getPort()
                + (config.transport() == SipTransport.TCP ? ";transport=tcp" : "");
    }

    @Override
    public String aor() {
        return "sip:" + config.user() + "@" + config.domain().orElse(local.hostForUri() + ":" + local.address().getPort());
    }

    @Override
    public int port() {
        return local.address().getPort();
    }

    String contact() {
        return "<" + uri() + ">";
    }

    /** Where a SIP URI points: its IP literal and port, over this phone's transport. */
    Destination destinationOf(String uri) {
        SipUri sip = SipUri.parse(uri);
        Destination literal = Destination.ofLiteral(sip).orElseThrow(() -> new IllegalArgumentException(
                "the test kit sends only to IP literals, not to " + uri));
        Transport mine = transportOf(config.transport());
        if (sip.transport().isPresent() && Transport.of(sip.transport().get()) != mine) {
            throw new IllegalArgumentException("the phone speaks " + mine + " only, " + uri + " asks for " + sip.transport().get());
        }
        return new Destination(mine, literal.address());
    }

    // ---- the test's side -----------------------------------------------------------------------------------------

    @Override
    public SipResponse register(String registrar, Duration expires) {
        String callId = TransactionLayer.randomToken(20) + "@" + local.hostForUri();
        SipRequest register = SipRequest.builder("REGISTER", registrar)
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, "<" + aor() + ">;tag=" + TransactionLayer.randomToken(10))
                .addHeader(HeaderNames.TO, "<" + aor() + ">")
                .addHeader(HeaderNames.CALL_ID, callId)
                .addHeader(HeaderNames.CSEQ, "1 REGISTER")
                .addHeader(HeaderNames.CONTACT, contact())
                .addHeader(HeaderNames.EXPIRES, Long.toString(expires.toSeconds()))
                .addHeader(HeaderNames.USER_AGENT, config.product())
                .build();
        SipResponse response = await(requests.send(register, destinationOf(registrar)), config.timeout(),
                "the final response to REGISTER " + registrar, Optional.of(callId));
        if (!response.isSuccess()) {
            throw failure("REGISTER " + registrar + " was answered " + response.startLine(), Optional.of(callId));
        }
        return response;
    }

    @Override
    public Call call(String target) {
        return call(target, Map.of());
    }

    @Override
    public Call call(String target, Map<String, String> headers) {
        Call call = dial(target, headers);
        call.awaitAnswered(config.timeout());
        return call;
    }

    @Override
    public Call dial(String target, Map<String, String> headers) {
        Destination destination = destinationOf(target);
        return await(onLane(() -> {
            PhoneCall call = PhoneCall.place(this, target, destination, headers);
            calls.put(call.callId(), call);
            return CompletableFuture.completedFuture(call);
        }), config.timeout(), "the INVITE to " + target + " to be sent", Optional.empty());
    }

    @Override
    public Call awaitCall(Duration within) {
        try {
            PhoneCall call = incoming.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (call == null) {
                throw failure("no call came within " + within.toMillis() + " ms", Optional.empty());
            }
            return call;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a call", e);
        }
    }

    @Override
    public SipResponse message(String target, String text) {
        return request("MESSAGE", target, Map.of(), "text/plain", text);
    }

    @Override
    public SipResponse options(String target) {
        return request("OPTIONS", target, Map.of(HeaderNames.ACCEPT, "application/sdp"), "", "");
    }

    @Override
    public SipResponse request(String method, String target, Map<String, String> headers, String contentType, String body) {
        String callId = TransactionLayer.randomToken(20) + "@" + local.hostForUri();
        SipRequest.Builder b = SipRequest.builder(method, target)
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, "<" + aor() + ">;tag=" + TransactionLayer.randomToken(10))
                .addHeader(HeaderNames.TO, "<" + target + ">")
                .addHeader(HeaderNames.CALL_ID, callId)
                .addHeader(HeaderNames.CSEQ, "1 " + method)
                .addHeader(HeaderNames.CONTACT, contact())
                .addHeader(HeaderNames.USER_AGENT, config.product());
        Requests.withHeadersAndBody(b, headers, contentType, body);
        return await(requests.send(b.build(), destinationOf(target)), config.timeout(),
                "the final response to " + method + " " + target, Optional.of(callId));
    }

    @Override
    public void handle(String method, RequestHandler handler) {
        handlers.put(method.toUpperCase(Locale.ROOT), handler);
    }

    @Override
    public SipRequest assertReceived(String method, Map<String, String> headers, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            for (SipRequest r : received) {
                if (r.isMethod(method) && Requests.hasHeaders(r, headers)) {
                    return r;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                StringBuilder seen = new StringBuilder();
                for (SipRequest r : received) {
                    seen.append("\n  ").append(r.startLine());
                    headers.keySet().forEach(h -> seen.append("\n      ").append(h).append(": ")
                            .append(String.join(" | ", r.headers().all(h))));
                }
                throw failure("no " + method + " with headers " + headers + " within " + within.toMillis()
                        + " ms; received instead:" + (received.isEmpty() ? " nothing" : seen), Optional.empty());
            }
            Deadlines.pause();
        }
    }

    @Override
    public List<SipRequest> received() {
        return List.copyOf(received);
    }

    @Override
    public String ladder() {
        return ladder.render(Optional.empty());
    }

    // ---- the stack's side (network threads: hand everything to the lane) -----------------------------------------

    @Override
    public void onRequest(ServerTransaction tx) {
        SipRequest request = tx.request();
        ladder.received(request, tx.incoming().remote(), config.transport());
        received.add(request);
        post(() -> dispatch(tx));
    }

    @Override
    public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        ladder.received(cancel.request(), cancel.incoming().remote(), config.transport());
        received.add(cancel.request());
        post(() -> {
            PhoneCall call = invite.map(i -> calls.get(i.request().callId().orElse(""))).orElse(null);
            respond(cancel, Requests.response(cancel.request(), call == null ? 481 : 200));
            if (call != null) {
                call.cancelledByPeer();
            }
        });
    }

    @Override
    public void onAck(IncomingMessage incoming) {
        SipRequest ack = (SipRequest) incoming.message();
        ladder.received(ack, incoming.remote(), config.transport());
        received.add(ack);
        post(() -> Optional.ofNullable(calls.get(ack.callId().orElse(""))).ifPresent(c -> c.onAck(ack)));
    }

    @Override
    public void onStrayResponse(IncomingMessage incoming) {
        SipResponse response = (SipResponse) incoming.message();
        ladder.received(response, incoming.remote(), config.transport());
        post(() -> Optional.ofNullable(calls.get(response.callId().orElse("")))
                .ifPresent(c -> c.onStrayResponse(response)));
    }

    private void dispatch(ServerTransaction tx) {
        SipRequest request = tx.request();
        PhoneCall call = calls.get(request.callId().orElse(""));
        if (request.to().tag().isPresent()) {
            if (call == null) {
                respond(tx, Requests.response(request, 481));
            } else {
                call.onRequest(tx);
            }
            return;
        }
        if (request.isMethod("INVITE")) {
            PhoneCall.receive(this, tx).ifPresent(c -> {
                calls.put(c.callId(), c);
                incoming.add(c);
            });
            return;
        }
        respond(tx, answerOutsideCalls(request));
    }

    /** The response a handler gives, or 200 (with Allow and Accept for OPTIONS). */
    SipResponse answerOutsideCalls(SipRequest request) {
        RequestHandler handler = handlers.get(request.method());
        if (handler != null) {
            try {
                return handler.respond(request);
            } catch (RuntimeException e) {
                LOG.warn("TESTKIT-001 phone {}: the handler of {} threw; answering 500", config.user(), request.method(), e);
                return Requests.response(request, 500);
            }
        }
        SipResponse ok = Requests.response(request, 200);
        return request.isMethod("OPTIONS")
                ? ok.toBuilder().addHeader(HeaderNames.ALLOW, ALLOW).addHeader(HeaderNames.ACCEPT, "application/sdp").build()
                : ok;
    }

    void respond(ServerTransaction tx, SipResponse response) {
        ladder.sent(response, tx.incoming().remote(), config.transport());
        tx.respond(response);
    }

    /** Runs {@code work} on the lane; dropped once the phone is closed (a late response has nobody to tell). */
    void post(Runnable work) {
        try {
            lane.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("phone {} closed, dropping a late event", config.user());
        }
    }

    void forget(PhoneCall call) {
        calls.remove(call.callId(), call);
    }

    // ---- waiting -------------------------------------------------------------------------------------------------

    /** Runs {@code work} on the lane and gives the future it returns. */
    <T> CompletableFuture<T> onLane(Supplier<CompletableFuture<T>> work) {
        return CompletableFuture.supplyAsync(work, lane).thenCompose(f -> f);
    }

    /** The value of {@code future}, or an {@link AssertionError} naming {@code what} with the ladder. */
    <T> T await(CompletableFuture<T> future, Duration within, String what, Optional<String> callId) {
        try {
            return future.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw failure("waited " + within.toMillis() + " ms for " + what + ", in vain", callId);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AssertionError a) {
                throw a;
            }
            if (cause instanceof RuntimeException r && !(cause instanceof java.util.concurrent.CompletionException)) {
                AssertionError error = failure(what + " failed: " + r.getMessage(), callId);
                error.initCause(r);
                throw error;
            }
            AssertionError error = failure(what + " failed: " + cause, callId);
            error.initCause(cause);
            throw error;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    AssertionError failure(String message, Optional<String> callId) {
        return new AssertionError(config.user() + ": " + message + "\n" + ladder.render(callId));
    }

    @Override
    public void close() {
        for (PhoneCall call : calls.values()) {
            try {
                CompletableFuture.runAsync(call::abandon, lane).get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.debug("could not end {} on close: {}", call.callId(), e.toString());
            }
        }
        lane.shutdown();
        try {
            lane.awaitTermination(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stack.close();
        clock.close();
        rtpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(config.timeout().toMillis());
    }
}
