package org.switchboard.sip.stack.ua;

import java.util.List;
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
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.SipStack;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transaction.TransactionUser;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.uri.SipUri;

/**
 * A minimal SIP user agent: as UAS it answers every INVITE with SDP (after ringing, if configured),
 * retransmits the 2xx until the ACK and sends BYE when none comes, answers BYE, CANCEL (487) and
 * OPTIONS, and rejects the rest as RFC 3261 section 8.2 says (405, 501, 416, 420, 415, 406, 505, 481).
 * As UAC it places calls with {@link #invite}, ACKs the 2xx, and hangs up with {@link Dialog#bye()}.
 *
 * <p>Names in URIs are resolved only when they are IP literals; anything else goes back to where
 * the dialog's first request came from (this core does no RFC 3263 lookups).
 *
 * <p>This class is the transaction user and the UAS; the request checks and response building are
 * {@code RequestChecks}, the Contact and generated SDP {@code LocalIdentity}, the client side {@code Uac}, each
 * dialog's RFC 3261 state and rules {@link DialogState}. Its state (dialogs, INVITEs ringing or waiting for the
 * session handler) is in concurrent maps, touched from event loops, the transaction timer thread and its own timer
 * thread; a dialog's state guards itself.
 */
public final class UserAgent implements TransactionUser, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserAgent.class);

    private final UserAgentConfig config;
    private final SipStack stack;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Map<String, DialogImpl> dialogs = new ConcurrentHashMap<>();
    private final Map<ServerTransaction, Ringing> ringing = new ConcurrentHashMap<>();
    private final RequestChecks checks;
    private final LocalIdentity local;
    private final Uac uac;
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
        this.checks = new RequestChecks(config.product(), config.sessions().isPresent());
        this.local = new LocalIdentity(config);
        this.stack = SipStack.start(config.stack(), this);
        this.uac = new Uac(this, stack, dialogs, local, config.product());
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
     * virtual time; the transaction layer's timers run where the stack's configuration says
     * ({@link org.switchboard.sip.stack.SipStackConfig#timerScheduler}), which may be the same scheduler. Blocks until the
     * transports are bound.
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
        Optional<SipResponse> rejection = checks.check(request);
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
            tx.respond(checks.response(request, 200, Optional.empty())
                    .addHeader(HeaderNames.ALLOW, RequestChecks.ALLOW)
                    .addHeader(HeaderNames.ACCEPT, RequestChecks.SDP)
                    .build());
        } else if (method.equals("BYE")) {
            tx.respond(checks.response(request, 481, Optional.empty()).build());
        } else {
            tx.respond(checks.response(request, 405, Optional.empty()).addHeader(HeaderNames.ALLOW, RequestChecks.ALLOW).build());
        }
    }

    private void invite(ServerTransaction tx, SipRequest request) {
        String tag = TransactionLayer.randomToken(10);
        Destination origin = new Destination(tx.incoming().transport(), tx.incoming().remote());
        DialogImpl dialog = new DialogImpl(this, DialogState.asUas(request, tag, local.contact(tx.incoming()), true, origin),
                request.bodyAsString());
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
        tx.respond(checks.response(request, 180, Optional.of(tag)).build());
        // ringing before the answer is scheduled, else an answer due at once would find nothing to answer
        Ringing placeholder = new Ringing(dialog, null);
        ringing.put(tx, placeholder);
        ScheduledFuture<?> answer = scheduler.schedule(() -> {
            if (ringing.remove(tx) != null) {
                answer(tx, dialog);
            }
        }, ring, TimeUnit.MILLISECONDS);
        if (!ringing.replace(tx, placeholder, new Ringing(dialog, answer))) {
            answer.cancel(false); // answered already, or cancelled by the caller meanwhile
        }
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
                tx.respond(rejection(tx.request(), answer, Optional.of(dialog.localTag())));
                dialog.end(Dialog.EndReason.REJECTED);
            }
        });
    }

    private void answer(ServerTransaction tx, DialogImpl dialog) {
        answer(tx, dialog, local.answerSdp(tx.incoming()));
    }

    private void answer(ServerTransaction tx, DialogImpl dialog, String sdp) {
        SipRequest request = tx.request();
        SipResponse ok = checks.response(request, 200, Optional.of(dialog.localTag()))
                .addHeader(HeaderNames.CONTACT, local.contact(tx.incoming()))
                .addHeader(HeaderNames.ALLOW, RequestChecks.ALLOW)
                .body(RequestChecks.SDP, sdp)
                .build();
        List<String> recordRoute = request.headers().all(HeaderNames.RECORD_ROUTE);
        if (!recordRoute.isEmpty()) {
            SipResponse.Builder b = ok.toBuilder();
            recordRoute.forEach(rr -> b.addHeader(HeaderNames.RECORD_ROUTE, rr));
            ok = b.build();
        }
        stats.answered.increment();
        respondToInvite(tx, dialog, ok);
    }

    /**
     * Sends a 2xx to an INVITE or re-INVITE of {@code dialog} and resends it until its ACK; when none comes the call
     * ends with BYE. The wait starts before the 2xx leaves: its ACK may be read on another thread at once.
     */
    private void respondToInvite(ServerTransaction tx, DialogImpl dialog, SipResponse ok) {
        dialog.state().awaitAck(AckWait.start(stack, scheduler, tx.incoming(), ok, AckWait.Resend.ANY_TRANSPORT, () -> {
            LOG.debug("no ACK for the 2xx of {}, sending BYE", dialog);
            stats.ackTimeouts.increment();
            bye(dialog, Dialog.EndReason.ACK_TIMEOUT); // ends the dialog, and so the wait
        }));
        tx.respond(ok);
    }

    private void inDialog(ServerTransaction tx, SipRequest request) {
        DialogImpl dialog = dialogs.get(DialogImpl.key(request.callId().orElseThrow(), request.to().tag().get(),
                request.from().tag().orElse("")));
        if (dialog == null) {
            tx.respond(checks.response(request, 481, Optional.empty()).build());
            return;
        }
        if (!dialog.state().receive(request)) {
            tx.respond(checks.response(request, 500, Optional.empty()).reason("CSeq out of order").build());
            return;
        }
        switch (request.method()) {
            case "BYE" -> {
                stats.byesReceived.increment();
                tx.respond(checks.response(request, 200, Optional.empty()).build());
                dialog.end(Dialog.EndReason.REMOTE_BYE);
            }
            case "INVITE" -> {
                if (config.sessions().isPresent()) {
                    guarded(() -> config.sessions().get().onReinvite(dialog, request)).whenComplete((answer, failure) -> {
                        if (failure != null) {
                            LOG.warn("SIP-UA-002 the session handler failed on a re-INVITE of {}", dialog, failure);
                            answer = SessionHandler.Answer.reject(500);
                        }
                        if (answer.status() < 300) {
                            respondToInvite(tx, dialog, checks.response(request, answer.status(), Optional.empty())
                                    .addHeader(HeaderNames.CONTACT, local.contact(tx.incoming()))
                                    .body(RequestChecks.SDP, answer.sdp().orElseThrow()).build());
                        } else {
                            tx.respond(rejection(request, answer, Optional.empty()));
                        }
                    });
                } else {
                    respondToInvite(tx, dialog, checks.response(request, 200, Optional.empty())
                            .addHeader(HeaderNames.CONTACT, local.contact(tx.incoming()))
                            .body(RequestChecks.SDP, local.answerSdp(tx.incoming())).build());
                }
            }
            default -> {
                tx.respond(checks.response(request, 200, Optional.empty()).build());
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
            cancel.respond(checks.response(request, 481, Optional.empty()).build());
            return;
        }
        Ringing pending = ringing.remove(invite.get());
        cancel.respond(checks.response(request, 200, Optional.empty()).build());
        if (pending != null) {
            if (pending.answer() != null) {
                pending.answer().cancel(false);
            }
            stats.cancelled.increment();
            invite.get().respond(checks.response(invite.get().request(), 487, Optional.of(pending.dialog().localTag())).build());
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
        if (dialog != null && dialog.state().acknowledged(ack)) {
            config.sessions().ifPresent(h -> guarded(() -> {
                h.onAck(dialog, ack);
                return null;
            }));
        }
    }

    @Override
    public void onStrayResponse(IncomingMessage incoming) {
        SipResponse response = (SipResponse) incoming.message();
        uac.resendAck(response);
    }

    // ---- UAC ----------------------------------------------------------------------------------

    /**
     * Places a call to {@code target} with an SDP offer, sent to {@code destination}. Completes with the
     * dialog once the 2xx has been ACKed, or exceptionally with a {@link CallFailedException}.
     */
    public CompletableFuture<Dialog> invite(SipUri target, Destination destination, String sdp) {
        return uac.invite(target, destination, sdp);
    }

    CompletableFuture<SipResponse> bye(DialogImpl dialog, Dialog.EndReason reason) {
        return uac.bye(dialog, reason);
    }

    void forget(DialogImpl dialog) {
        dialogs.remove(dialog.key(), dialog);
    }

    /** Stops the user agent and its stack. */
    @Override
    public void close() {
        stack.close(); // first, so that no request still being read schedules on a stopped scheduler
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    /** The response that rejects {@code request} as the session handler decided, with its Warning if it gave one. */
    private SipResponse rejection(SipRequest request, SessionHandler.Answer answer, Optional<String> tag) {
        SipResponse.Builder response = checks.response(request, answer.status(), tag);
        answer.warning().ifPresent(why -> response.addHeader("Warning",
                "399 switchboard \"" + why.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        return response.build();
    }
}
