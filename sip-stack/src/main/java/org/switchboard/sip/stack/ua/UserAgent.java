package org.switchboard.sip.stack.ua;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.executors.DeadlineScheduler;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transaction.TransactionUser;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * A minimal SIP user agent: as UAS it answers every INVITE with SDP (after ringing, if configured),
 * retransmits the 2xx until the ACK and sends BYE when none comes, answers BYE, CANCEL (487) and
 * OPTIONS, and rejects the rest as RFC 3261 section 8.2 says (405, 501, 416, 420, 415, 406, 505, 481).
 * As UAC it places calls with {@link #invite}, ACKs the 2xx, and hangs up with {@link Dialog#bye()}.
 *
 * <p>Names in URIs are resolved only when they are IP literals; anything else goes back to where
 * the dialog's first request came from (this core does no RFC 3263 lookups).
 */
public final class UserAgent implements TransactionUser, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserAgent.class);

    private static final Set<String> IMPLEMENTED = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS");
    private static final Set<String> IN_DIALOG_ONLY = Set.of("INFO", "UPDATE");
    private static final Set<String> KNOWN = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",
            "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");
    private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE";
    private static final String SDP = "application/sdp";

    private final UserAgentConfig config;
    private final SipStack stack;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Map<String, DialogImpl> dialogs = new ConcurrentHashMap<>();
    private final Map<ServerTransaction, Ringing> ringing = new ConcurrentHashMap<>();
    private final AtomicLong sessionVersion = new AtomicLong(System.currentTimeMillis() / 1000);
    private final Stats stats = new Stats();

    /** Counters of what the user agent did. */
    public static final class Stats {
        private final LongAdder answered = new LongAdder();
        private final LongAdder cancelled = new LongAdder();
        private final LongAdder ackTimeouts = new LongAdder();
        private final LongAdder byesReceived = new LongAdder();
        private final LongAdder rejected = new LongAdder();

        /** INVITEs answered with 200. */
        public long answered() {
            return answered.sum();
        }

        /** INVITEs cancelled before they were answered. */
        public long cancelled() {
            return cancelled.sum();
        }

        /** Calls ended with BYE because no ACK came for the 2xx. */
        public long ackTimeouts() {
            return ackTimeouts.sum();
        }

        /** BYEs received for dialogs. */
        public long byesReceived() {
            return byesReceived.sum();
        }

        /** Requests answered with a 4xx/5xx by the checks of RFC 3261 section 8.2. */
        public long rejected() {
            return rejected.sum();
        }
    }

    private record Ringing(DialogImpl dialog, ScheduledFuture<?> answer) {
    }

    private UserAgent(UserAgentConfig config, ScheduledExecutorService scheduler, boolean ownsScheduler) {
        this.config = config;
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
        this.stack = SipStack.start(config.stack(), this);
    }

    /**
     * Starts a user agent on its own stack, with its own timer thread. Blocks until the transports are bound.
     *
     * @throws org.switchboard.sip.stack.transport.TransportException when a listen point cannot be bound
     */
    public static UserAgent start(UserAgentConfig config) {
        return new UserAgent(config, DeadlineScheduler.create("sip-ua"), true);
    }

    /**
     * Starts a user agent whose own timers (the ring time, the 2xx retransmissions and the ACK wait) run on
     * {@code timers}, which stays the caller's: {@link #close} does not shut it down. Tests pass a scheduler on
     * virtual time; the transaction layer's timers keep their own. Blocks until the transports are bound.
     *
     * @throws org.switchboard.sip.stack.transport.TransportException when a listen point cannot be bound
     */
    public static UserAgent start(UserAgentConfig config, ScheduledExecutorService timers) {
        return new UserAgent(config, Objects.requireNonNull(timers, "timers"), false);
    }

    /** The stack underneath. */
    public SipStack stack() {
        return stack;
    }

    /** The counters. */
    public Stats stats() {
        return stats;
    }

    /** The dialogs now established or being set up. */
    public List<Dialog> dialogs() {
        return List.copyOf(dialogs.values());
    }

    // ---- UAS ----------------------------------------------------------------------------------

    @Override
    public void onRequest(ServerTransaction tx) {
        SipRequest request = tx.request();
        Optional<SipResponse> rejection = check(request);
        if (rejection.isPresent()) {
            stats.rejected.increment();
            tx.respond(rejection.get());
            return;
        }
        String method = request.method();
        if (request.to().tag().isPresent()) {
            inDialog(tx, request);
        } else if (method.equals("INVITE")) {
            invite(tx, request);
        } else if (method.equals("OPTIONS")) {
            tx.respond(response(request, 200, Optional.empty())
                    .addHeader(HeaderNames.ALLOW, ALLOW)
                    .addHeader(HeaderNames.ACCEPT, SDP)
                    .build());
        } else if (method.equals("BYE")) {
            tx.respond(response(request, 481, Optional.empty()).build());
        } else {
            tx.respond(response(request, 405, Optional.empty()).addHeader(HeaderNames.ALLOW, ALLOW).build());
        }
    }

    /**
     * The request checks of RFC 3261 section 8.2, in the order the RFC gives them: the methods and bodies this UA
     * handles here, the checks every UAS makes in {@link RequestChecks}.
     */
    private Optional<SipResponse> check(SipRequest request) {
        if (!request.version().equalsIgnoreCase(SipMessage.SIP_2_0)) {
            return RequestChecks.firstFailed(request, Set.of()).map(this::withServer);
        }
        String method = request.method();
        if (!KNOWN.contains(method)) {
            return Optional.of(response(request, 501, Optional.empty()).addHeader(HeaderNames.ALLOW, ALLOW).build());
        }
        if (!IMPLEMENTED.contains(method) && !(IN_DIALOG_ONLY.contains(method) && request.to().tag().isPresent())) {
            return Optional.of(response(request, 405, Optional.empty()).addHeader(HeaderNames.ALLOW, ALLOW).build());
        }
        Optional<SipResponse> failed = RequestChecks.firstFailed(request, Set.of()).map(this::withServer);
        if (failed.isPresent() && failed.get().status() != 406) {
            return failed;
        }
        if (request.bodyLength() > 0) {
            String type = request.contentType().map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse(SDP);
            boolean dtmfInfo = method.equals("INFO") && config.sessions().isPresent()
                    && (type.equals("application/dtmf-relay") || type.equals("application/dtmf"));
            if (!type.equals(SDP) && !dtmfInfo) {
                return Optional.of(response(request, 415, Optional.empty()).addHeader(HeaderNames.ACCEPT, SDP).build());
            }
        }
        return failed;
    }

    private SipResponse withServer(SipResponse.Builder rejection) {
        return rejection.addHeader(HeaderNames.SERVER, config.product()).build();
    }

    private void invite(ServerTransaction tx, SipRequest request) {
        String tag = TransactionLayer.randomToken(10);
        List<String> routeSet = request.headers().values(HeaderNames.RECORD_ROUTE);
        DialogImpl dialog = new DialogImpl(this, request.callId().orElseThrow(), tag, request.from().tag().orElse(""),
                request.to().withTag(tag).toString(), request.headers().first(HeaderNames.FROM).orElseThrow(),
                contactOf(request).orElse(request.requestUri()), routeSet,
                new Destination(tx.incoming().transport(), tx.incoming().remote()), request.bodyAsString(), 0);
        dialogs.put(dialog.key(), dialog);
        if (config.sessions().isPresent()) {
            ask(tx, dialog, guarded(() -> config.sessions().get().onInvite(dialog, request, tx.incoming())));
            return;
        }
        long ring = config.ringTime().toMillis();
        if (ring == 0) {
            answer(tx, dialog);
            return;
        }
        tx.respond(response(request, 180, Optional.of(tag)).build());
        ScheduledFuture<?> answer = scheduler.schedule(() -> {
            if (ringing.remove(tx) != null) {
                answer(tx, dialog);
            }
        }, ring, TimeUnit.MILLISECONDS);
        ringing.put(tx, new Ringing(dialog, answer));
    }

    /** Calls the session handler; what it throws becomes a failed stage (logged), never an event-loop exception. */
    private static <T> java.util.concurrent.CompletionStage<T> guarded(java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            LOG.warn("SIP-UA-003 the session handler threw", e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Answers an initial INVITE as the session handler decides, when it has. */
    private void ask(ServerTransaction tx, DialogImpl dialog, java.util.concurrent.CompletionStage<SessionHandler.Answer> asked) {
        ringing.put(tx, new Ringing(dialog, null)); // until answered, a CANCEL ends it with 487
        asked.whenComplete((answer, failure) -> {
            if (ringing.remove(tx) == null) {
                return; // cancelled meanwhile: 487 sent, the dialog ended (the handler sees ended())
            }
            if (failure != null) {
                LOG.warn("SIP-UA-001 the session handler failed for {}", dialog, failure);
                answer = SessionHandler.Answer.reject(500);
            }
            if (answer.status() < 300) {
                answer(tx, dialog, answer.sdp().orElseThrow());
            } else {
                stats.rejected.increment();
                tx.respond(response(tx.request(), answer.status(), Optional.of(dialog.localTag())).build());
                dialog.end(Dialog.EndReason.REJECTED);
            }
        });
    }

    private void answer(ServerTransaction tx, DialogImpl dialog) {
        answer(tx, dialog, answerSdp(tx.incoming()));
    }

    private void answer(ServerTransaction tx, DialogImpl dialog, String sdp) {
        SipRequest request = tx.request();
        SipResponse ok = response(request, 200, Optional.of(dialog.localTag()))
                .addHeader(HeaderNames.CONTACT, contact(tx.incoming()))
                .addHeader(HeaderNames.ALLOW, ALLOW)
                .body(SDP, sdp)
                .build();
        List<String> recordRoute = request.headers().all(HeaderNames.RECORD_ROUTE);
        if (!recordRoute.isEmpty()) {
            SipResponse.Builder b = ok.toBuilder();
            recordRoute.forEach(rr -> b.addHeader(HeaderNames.RECORD_ROUTE, rr));
            ok = b.build();
        }
        stats.answered.increment();
        // the wait starts before the 2xx leaves: its ACK may be read on another thread at once
        dialog.awaitAck(AckWait.start(stack, scheduler, tx.incoming(), ok, AckWait.Resend.ANY_TRANSPORT, () -> {
            LOG.debug("no ACK for the 2xx of {}, sending BYE", dialog);
            stats.ackTimeouts.increment();
            bye(dialog, Dialog.EndReason.ACK_TIMEOUT);
        }));
        tx.respond(ok);
    }

    private void inDialog(ServerTransaction tx, SipRequest request) {
        DialogImpl dialog = dialogs.get(DialogImpl.key(request.callId().orElseThrow(), request.to().tag().get(),
                request.from().tag().orElse("")));
        if (dialog == null) {
            tx.respond(response(request, 481, Optional.empty()).build());
            return;
        }
        switch (request.method()) {
            case "BYE" -> {
                stats.byesReceived.increment();
                tx.respond(response(request, 200, Optional.empty()).build());
                dialog.end(Dialog.EndReason.REMOTE_BYE);
            }
            case "INVITE" -> {
                if (config.sessions().isPresent()) {
                    guarded(() -> config.sessions().get().onReinvite(dialog, request)).whenComplete((answer, failure) -> {
                        if (failure != null) {
                            LOG.warn("SIP-UA-002 the session handler failed on a re-INVITE of {}", dialog, failure);
                            answer = SessionHandler.Answer.reject(500);
                        }
                        SipResponse.Builder b = response(request, answer.status(), Optional.empty());
                        if (answer.status() < 300) {
                            b.addHeader(HeaderNames.CONTACT, contact(tx.incoming())).body(SDP, answer.sdp().orElseThrow());
                        }
                        tx.respond(b.build());
                    });
                } else {
                    tx.respond(response(request, 200, Optional.empty())
                            .addHeader(HeaderNames.CONTACT, contact(tx.incoming()))
                            .body(SDP, answerSdp(tx.incoming())).build());
                }
            }
            default -> {
                tx.respond(response(request, 200, Optional.empty()).build());
                if (request.method().equals("INFO")) {
                    config.sessions().ifPresent(h -> guarded(() -> {
                        h.onInfo(dialog, request);
                        return null;
                    }));
                }
            }
        }
    }

    @Override
    public void onCancel(ServerTransaction cancel, Optional<ServerTransaction> invite) {
        SipRequest request = cancel.request();
        if (invite.isEmpty()) {
            cancel.respond(response(request, 481, Optional.empty()).build());
            return;
        }
        Ringing pending = ringing.remove(invite.get());
        cancel.respond(response(request, 200, Optional.empty()).build());
        if (pending != null) {
            if (pending.answer() != null) {
                pending.answer().cancel(false);
            }
            stats.cancelled.increment();
            invite.get().respond(response(invite.get().request(), 487, Optional.of(pending.dialog().localTag())).build());
            pending.dialog().end(Dialog.EndReason.CANCELLED);
        }
    }

    @Override
    public void onAck(IncomingMessage incoming) {
        SipRequest ack = (SipRequest) incoming.message();
        Optional<String> toTag = ack.to().tag();
        if (toTag.isEmpty()) {
            return;
        }
        DialogImpl dialog = dialogs.get(DialogImpl.key(ack.callId().orElseThrow(), toTag.get(), ack.from().tag().orElse("")));
        if (dialog != null) {
            dialog.confirm();
            config.sessions().ifPresent(h -> guarded(() -> {
                h.onAck(dialog, ack);
                return null;
            }));
        }
    }

    @Override
    public void onStrayResponse(IncomingMessage incoming) {
        SipResponse response = (SipResponse) incoming.message();
        resendAck(response);
    }

    // ---- UAC ----------------------------------------------------------------------------------

    /**
     * Places a call to {@code target} with an SDP offer, sent to {@code destination}. Completes with the
     * dialog once the 2xx has been ACKed, or exceptionally with a {@link CallFailedException}.
     */
    public CompletableFuture<Dialog> invite(SipUri target, Destination destination, String sdp) {
        ListenPoint local = stack.transport().listenPoint(destination.transport(), destination.address())
                .orElseThrow(() -> new IllegalStateException("no " + destination.transport() + " listen point"));
        String tag = TransactionLayer.randomToken(10);
        String from = "<sip:" + userPart() + "@" + local.hostForUri() + ":" + local.address().getPort() + ">;tag=" + tag;
        SipRequest invite = SipRequest.builder("INVITE", target)
                .addHeader(HeaderNames.MAX_FORWARDS, "70")
                .addHeader(HeaderNames.FROM, from)
                .addHeader(HeaderNames.TO, "<" + target + ">")
                .addHeader(HeaderNames.CALL_ID, TransactionLayer.randomToken(20) + "@" + local.hostForUri())
                .addHeader(HeaderNames.CSEQ, "1 INVITE")
                .addHeader(HeaderNames.CONTACT, contactFor(local))
                .addHeader(HeaderNames.ALLOW, ALLOW)
                .addHeader(HeaderNames.USER_AGENT, config.product())
                .body(SDP, sdp)
                .build();
        CompletableFuture<Dialog> result = new CompletableFuture<>();
        stack.transactions().sendRequest(invite, destination, new Outcome(result, "INVITE to " + target) {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                if (response.isProvisional()) {
                    return;
                }
                if (!response.isSuccess()) {
                    result.completeExceptionally(new CallFailedException(response.status(),
                            "INVITE to " + target + " failed: " + response.status() + " " + response.reason(), null));
                    return;
                }
                if (resendAck(response)) {
                    return; // a retransmitted 2xx for a dialog we already have
                }
                DialogImpl dialog = uacDialog(tx, response, tag, destination);
                SipRequest ack = dialog.request("ACK", 1).build();
                dialog.ack(ack);
                dialogs.put(dialog.key(), dialog);
                stack.transactions().sendStateless(ack, dialog.destination());
                result.complete(dialog);
            }
        });
        return result;
    }

    private DialogImpl uacDialog(ClientTransaction tx, SipResponse ok, String tag, Destination destination) {
        List<String> routeSet = new ArrayList<>(ok.headers().values(HeaderNames.RECORD_ROUTE));
        Collections.reverse(routeSet);
        SipRequest invite = tx.request();
        return new DialogImpl(this, invite.callId().orElseThrow(), tag, ok.to().tag().orElse(""),
                invite.headers().first(HeaderNames.FROM).orElseThrow(), ok.headers().first(HeaderNames.TO).orElseThrow(),
                contactOf(ok).orElse(invite.requestUri()), routeSet, destination, ok.bodyAsString(),
                invite.cseq().number());
    }

    /** Sends the ACK again for a retransmitted 2xx of a dialog we already have; returns whether it was one. */
    private boolean resendAck(SipResponse response) {
        if (!response.isSuccess() || !response.cseq().method().equals("INVITE")) {
            return false;
        }
        DialogImpl dialog = dialogs.get(DialogImpl.key(response.callId().orElse(""), response.from().tag().orElse(""),
                response.to().tag().orElse("")));
        if (dialog == null || dialog.ack() == null) {
            return false;
        }
        stack.transactions().sendStateless(dialog.ack(), dialog.destination());
        return true;
    }

    CompletableFuture<SipResponse> bye(DialogImpl dialog, Dialog.EndReason reason) {
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        SipRequest bye = dialog.request("BYE", -1).build();
        dialog.end(reason);
        stack.transactions().sendRequest(bye, dialog.destination(), new Outcome(result, "BYE for " + dialog) {
            @Override
            public void onResponse(ClientTransaction tx, SipResponse response) {
                if (!response.isProvisional()) {
                    result.complete(response);
                }
            }
        });
        return result;
    }

    /** Fails {@code result} when the request times out (408) or cannot be sent (503), as RFC 3261 8.1.3.1 maps them. */
    private abstract static class Outcome implements ResponseListener {
        private final CompletableFuture<?> result;
        private final String what;

        Outcome(CompletableFuture<?> result, String what) {
            this.result = result;
            this.what = what;
        }

        @Override
        public void onTimeout(ClientTransaction tx) {
            result.completeExceptionally(new CallFailedException(408, what + " timed out", null));
        }

        @Override
        public void onTransportError(ClientTransaction tx, TransportError error) {
            result.completeExceptionally(new CallFailedException(503, what + " could not be sent", error.cause()));
        }
    }

    void forget(DialogImpl dialog) {
        dialogs.remove(dialog.key(), dialog);
    }

    // ---- addressing ---------------------------------------------------------------------------

    /** Where a URI points: its host when it is an IP literal (port and transport from the URI), else {@code fallback}. */
    Destination resolve(Uri uri, Destination fallback) {
        return uri instanceof SipUri sip ? Destination.ofLiteral(sip).orElse(fallback) : fallback;
    }

    Uri uriOf(String nameAddress) {
        return NameAddress.parse(nameAddress).uri();
    }

    private static Optional<Uri> contactOf(SipMessage message) {
        try {
            List<NameAddress> contacts = message.contacts();
            return contacts.isEmpty() ? Optional.empty() : Optional.of(contacts.get(0).uri());
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    private String contact(IncomingMessage incoming) {
        InetSocketAddress local = incoming.local();
        return contactFor(new ListenPoint(incoming.transport(), local));
    }

    private String contactFor(ListenPoint local) {
        return "<sip:" + userPart() + "@" + local.hostForUri() + ":" + local.address().getPort()
                + (local.transport() == Transport.UDP ? "" : ";transport=" + local.transport().name().toLowerCase(Locale.ROOT))
                + ">";
    }

    private String userPart() {
        return config.product().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private String answerSdp(IncomingMessage incoming) {
        if (config.answerSdp().isPresent()) {
            return config.answerSdp().get();
        }
        String ip = incoming.local().getAddress().getHostAddress();
        String family = incoming.local().getAddress() instanceof java.net.Inet6Address ? "IP6" : "IP4";
        long version = sessionVersion.incrementAndGet();
        return "v=0\r\n"
                + "o=" + userPart() + " " + version + " " + version + " IN " + family + " " + ip + "\r\n"
                + "s=" + config.product() + "\r\n"
                + "c=IN " + family + " " + ip + "\r\n"
                + "t=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=sendrecv\r\n";
    }

    /** A response to {@code request} with a To tag when given (or a fresh one for final responses that need it). */
    private SipResponse.Builder response(SipRequest request, int status, Optional<String> tag) {
        SipResponse.Builder b = SipResponse.forRequest(request, status).addHeader(HeaderNames.SERVER, config.product());
        if (status > 100 && request.to().tag().isEmpty()) {
            b.setHeader(HeaderNames.TO, request.to().withTag(tag.orElseGet(() -> TransactionLayer.randomToken(10))).toString());
        }
        return b;
    }

    /** Stops the user agent and its stack. */
    @Override
    public void close() {
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        stack.close();
    }
}
