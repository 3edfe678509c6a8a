package org.switchboard.container.sip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.ReceivedResponse;
import org.switchboard.drachtio.client.SentMessage;
import org.switchboard.executors.SerialExecutor;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.app.Credentials;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.SipError;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.message.AuthValue;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * A request the application sent (a client transaction through the server): a new call, a request outside a
 * dialog, or a request inside one. It belongs to its {@link Call} from the server's report of the request as
 * sent (which names the Call-ID the server chose) until its final response. Responses are handled in arrival
 * order on the operation's own lane, so a callback that blocks holds up nothing else.
 */
final class Outgoing {

    private static final Logger LOG = LoggerFactory.getLogger(Outgoing.class);

    enum Kind { UAC, REQUEST, IN_DIALOG }

    private final SipCore core;
    final DrachtioClient client;
    private final Kind kind;
    private final Application application;
    private final RequestOptions options;
    private final CallDialog dialog;
    private final String method;
    final CompletableFuture<Object> result;
    private final Executor lane;
    // the call scope of the call the application was handling when it sent the request, for the new call to share
    private final CallAttachment shared;
    private volatile Call call;
    // the Call-ID of the call handled on the thread that sent this new request (a B2BUA's A leg, the caller of a media
    // server's leg), null when none
    private volatile String parentCallId;
    private volatile String transactionId;
    private volatile SipRequest sent;
    private volatile boolean authTried;
    private volatile boolean cancelRequested;
    private volatile ScheduledFuture<?> deadline;
    private volatile ScheduledFuture<?> provisionalDeadline;
    private volatile boolean answered; // a response other than 100 arrived

    private Outgoing(SipCore core, DrachtioClient client, Kind kind, Application application, RequestOptions options,
                     CallDialog dialog, String method, CompletableFuture<Object> result, CallAttachment shared, Executor executor) {
        this.core = core;
        this.client = client;
        this.kind = kind;
        this.application = application;
        this.options = options;
        this.dialog = dialog;
        this.method = method;
        this.result = result;
        this.shared = shared;
        this.lane = new SerialExecutor(executor);
    }

    /** A future whose cancel sends CANCEL (or ends the dialog when the call was answered meanwhile). */
    static final class UacFuture extends CompletableFuture<Object> {
        private volatile Outgoing operation;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean canceled = super.cancel(mayInterruptIfRunning);
            Outgoing op = operation;
            if (canceled && op != null) {
                op.cancel();
            }
            return canceled;
        }
    }

    /** A request outside any dialog; {@code shared}: the attachment of the call the application handles (null when none). */
    static Outgoing newRequest(SipCore core, DrachtioClient client, Kind kind, Application application, RequestOptions options,
                               CallAttachment shared, Executor executor) {
        UacFuture future = new UacFuture();
        Outgoing op = new Outgoing(core, client, kind, application, options, null, options.method(), future, shared, executor);
        future.operation = op;
        op.parentCallId = CurrentCall.callIdOnThread();
        return op;
    }

    static Outgoing inDialog(SipCore core, CallDialog dialog, String method, Executor executor) {
        return new Outgoing(core, dialog.client, Kind.IN_DIALOG, dialog.application, null, dialog, method,
                new CompletableFuture<>(), null, executor);
    }

    String method() {
        return method;
    }

    /** The call it belongs to, null until the server reported it sent. */
    Call call() {
        return call;
    }

    /** Whether it is an INVITE outside a dialog, which a CANCEL ends while it has no final response. */
    boolean isNewInvite() {
        return kind != Kind.IN_DIALOG && method.equals("INVITE");
    }

    Application application() {
        return application;
    }

    /** Sends the request of a new-request operation, with {@code extra} headers (the digest answer on a retry). */
    void send(Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(options.headers());
        headers.putAll(extra);
        SipRequest request;
        try {
            request = Wire.request(options.method(), options.uri(), headers, options.contentType(), options.body());
        } catch (SipParseException e) {
            fail(new IllegalArgumentException(options.method() + " " + options.uri() + ": " + e.getMessage(), e));
            return;
        }
        if (deadline == null) {
            arm(options.timeout());
            options.provisionalTimeout().ifPresent(d -> provisionalDeadline = core.schedule(d, () -> {
                if (!answered) {
                    timeout();
                }
            }));
        }
        core.tracked(() -> client.sendRequest(request, options.outboundProxy()), this);
    }

    /** Fails the operation with 408 unless a final response came within {@code timeout}. */
    void arm(java.time.Duration timeout) {
        deadline = core.schedule(timeout, this::timeout);
    }

    /** The server accepted the request: remember its transaction and what went out, and join its call. */
    void sent(SentMessage reply) {
        reply.message().filter(SipRequest.class::isInstance).map(SipRequest.class::cast).ifPresent(m -> sent = m);
        // the call first: the deadline, on another thread, takes a known transaction as a joined call
        call = dialog != null ? dialog.call : core.registry().open(reply.callId());
        transactionId = reply.transactionId();
        core.register(call, transactionId, this);
        if (shared != null) {
            core.registry().share(call, application, shared);
        }
        if (parentCallId != null) {
            core.captures().relate(parentCallId, call.id);
        }
        core.captures().application(call.capture, application.name());
        if (cancelRequested) {
            sendCancel();
        }
    }

    void onResponse(ReceivedResponse received) {
        lane.execute(() -> handle(received));
    }

    private void handle(ReceivedResponse received) {
        SipResponse response = received.response();
        int status = response.status();
        if (status < 200) {
            if (status == 100) {
                return;
            }
            answered = true;
            if (method.equals("INVITE") && response.header("RSeq").isPresent()
                    && response.headers().values("Require").stream().anyMatch(v -> v.equalsIgnoreCase("100rel"))) {
                String rack = response.header("RSeq").get().trim() + " " + response.cseq().number() + " INVITE";
                client.sendInDialog(received.dialogId(), Wire.inDialog("PRACK", Map.of("RAck", rack), "", ""));
            }
            if (options != null) {
                safely(() -> options.onProvisional().accept(response));
            }
            return;
        }
        answered = true;
        cancelDeadline();
        if (dialog != null) {
            dialog.activity().touch();
        }
        if ((status == 401 || status == 407) && kind != Kind.IN_DIALOG && !authTried && options.credentials().isPresent()) {
            core.forget(call, transactionId, this);
            if (retryWithCredentials(response, options.credentials().get())) {
                return;
            }
        }
        if (status / 100 == 2 && method.equals("INVITE")) {
            client.sendInDialog(received.dialogId(), Wire.inDialog("ACK", Map.of(), "", ""));
        }
        CallDialog made = null;
        if (kind == Kind.UAC && status / 100 == 2) {
            // the dialog joins the call before the request leaves it, so the call does not end in between
            made = new CallDialog(core, client, call, application, received.dialogId(), Dialog.Role.UAC, method,
                    options.body(), Wire.sdp(response));
            made.answer(response);
            core.register(made, null);
        }
        if (kind == Kind.UAC) {
            core.registry().answered(call, method, status);
        }
        core.forget(call, transactionId, this);
        switch (kind) {
            case UAC -> {
                if (made != null) {
                    CallDialog d = made;
                    if (!result.complete(d)) {
                        d.destroy(); // canceled or timed out while the 200 was on its way: no ghost call
                    }
                } else {
                    result.completeExceptionally(new SipError(response));
                }
            }
            case REQUEST -> result.complete(response);
            case IN_DIALOG -> {
                if (status < 300) {
                    result.complete(response);
                } else {
                    result.completeExceptionally(new SipError(response));
                }
            }
        }
    }

    private boolean retryWithCredentials(SipResponse challenge, Credentials credentials) {
        SipRequest original = sent;
        if (original == null) {
            return false;
        }
        String challengeHeader = challenge.status() == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
        String answerHeader = challenge.status() == 401 ? "Authorization" : "Proxy-Authorization";
        List<AuthValue> challenges;
        try {
            challenges = challenge.authValues(challengeHeader);
        } catch (SipParseException e) {
            return false;
        }
        for (AuthValue c : challenges) {
            Optional<String> answer = Digest.authorization(c, method, options.uri(), credentials.username(), credentials.password());
            if (answer.isPresent()) {
                authTried = true;
                Map<String, String> extra = new LinkedHashMap<>();
                extra.put("Call-ID", original.callId().orElse(""));
                extra.put("From", original.header("From").orElse(""));
                extra.put("CSeq", (original.cseq().number() + 1) + " " + method);
                extra.put(answerHeader, answer.get());
                LOG.debug("{} {}: answering a {} challenge", method, options.uri(), challenge.status());
                send(extra);
                return true;
            }
        }
        return false;
    }

    private void cancel() {
        cancelRequested = true;
        if (transactionId != null) {
            sendCancel();
        }
    }

    private void sendCancel() {
        client.cancel(transactionId, Wire.request("CANCEL", options.uri(), Map.of(), "", ""))
                .exceptionally(e -> {
                    LOG.debug("CANCEL of {} not sent: {}", options.uri(), e.toString());
                    return null;
                });
    }

    private void timeout() {
        if (!result.isDone()) {
            if (method.equals("INVITE") && kind != Kind.IN_DIALOG) {
                cancel();
            }
            String transaction = transactionId;
            Call joined = call;
            if (transaction != null) {
                if (kind == Kind.UAC) {
                    core.registry().answered(joined, method, 408);
                }
                core.forget(joined, transaction, this);
            }
            result.completeExceptionally(new SipError(408, "Request Timeout"));
        }
    }

    void fail(Throwable error) {
        cancelDeadline();
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        result.completeExceptionally(cause);
    }

    private void cancelDeadline() {
        for (ScheduledFuture<?> d : new ScheduledFuture<?>[] {deadline, provisionalDeadline}) {
            if (d != null) {
                d.cancel(false);
            }
        }
    }

    private void safely(Runnable callback) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(application.classLoader());
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("SBC-304 {}: provisional-response callback failed", application.name(), e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    @Override
    public String toString() {
        return kind + " " + method + (dialog != null ? " in " + dialog.id() : " " + options.uri());
    }
}
