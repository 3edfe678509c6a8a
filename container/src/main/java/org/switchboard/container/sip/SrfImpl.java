package org.switchboard.container.sip;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.sip.app.B2bua;
import org.switchboard.sip.app.B2buaOptions;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.app.ProxyOptions;
import org.switchboard.sip.app.ProxyResult;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.SipError;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** The {@link Srf} of one application. */
final class SrfImpl implements Srf {

    // Timer C (RFC 3261 16.6) plus a margin: how long a proxy operation may ring
    private static final Duration PROXY_DEADLINE = Duration.ofSeconds(200);

    private final SipCore core;
    private final Application application;

    SrfImpl(SipCore core, Application application) {
        this.core = core;
        this.application = application;
    }

    /** The request while it waits for its answer; empty once answered, canceled or proxied. */
    private Optional<PendingRequest> pending(SipRequest request) {
        return core.pending(request);
    }

    // the container keeps nothing of a request once its transaction is over, so a request it never delivered
    // looks the same here as one answered before
    private static <T> CompletableFuture<T> alreadyAnswered(SipRequest request) {
        return CompletableFuture.failedFuture(new IllegalStateException(request.method() + " " + request.requestUriText()
                + " already answered (or not a request the container delivered)"));
    }

    @Override
    public CompletionStage<Void> respond(SipRequest request, SipResponse response) {
        return pending(request).map(in -> core.respond(in, response).thenApply(reply -> (Void) null))
                .orElseGet(() -> alreadyAnswered(request));
    }

    @Override
    public CompletionStage<Dialog> createUas(SipRequest request, UasOptions options) {
        return pending(request).map(in -> createUas(in, options)).orElseGet(() -> alreadyAnswered(request));
    }

    private CompletableFuture<Dialog> createUas(PendingRequest in, UasOptions options) {
        SipResponse.Builder b = SipResponse.builder(options.status());
        options.headers().forEach(b::addHeader);
        if (!options.localSdp().isEmpty()) {
            b.body("application/sdp", options.localSdp());
        }
        return core.respond(in, b.build(), true).handle((reply, error) -> {
            if (error != null) {
                core.finish(in);
                throw new java.util.concurrent.CompletionException(SipCore.unwrap(error));
            }
            CallDialog d = new CallDialog(core, in.received.connection(), in.call, application, reply.dialogId(), Dialog.Role.UAS,
                    in.request.method(), options.localSdp(), Wire.sdp(in.request));
            core.register(d, in);
            return (Dialog) d;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Dialog> createUac(RequestOptions options) {
        return (CompletableFuture<Dialog>) (CompletableFuture<?>) core.send(application, options, Outgoing.Kind.UAC).result;
    }

    @Override
    public CompletionStage<SipResponse> request(RequestOptions options) {
        return core.send(application, options, Outgoing.Kind.REQUEST).result.thenApply(SipResponse.class::cast);
    }

    @Override
    public CompletionStage<B2bua> createB2bua(SipRequest request, B2buaOptions options) {
        Optional<PendingRequest> pending = pending(request);
        if (pending.isEmpty()) {
            return alreadyAnswered(request);
        }
        PendingRequest a = pending.get();
        RequestOptions.Builder target = options.target().toBuilder();
        if (options.target().body().isEmpty() && request.bodyLength() > 0) {
            target.body(request.contentType().orElse("application/sdp"), request.bodyAsString());
        }
        for (String name : options.propagateHeaders()) {
            request.header(name).ifPresent(v -> target.header(name, v));
        }
        var userProvisional = options.target().onProvisional();
        target.onProvisional(provisional -> {
            int status = provisional.status();
            if (status == 180 || status == 183) {
                SipResponse.Builder relay = SipResponse.builder(status);
                copyHeaders(options, provisional, relay);
                String sdp = Wire.sdp(provisional);
                if (!sdp.isEmpty()) {
                    relay.body("application/sdp", options.answerToA().map(f -> f.apply(sdp)).orElse(sdp));
                }
                core.respond(a, relay.build()).exceptionally(e -> null);
            }
            userProvisional.accept(provisional);
        });
        CompletableFuture<Dialog> b = createUac(target.build());
        a.canceled.thenRun(() -> b.cancel(false));
        return b.handle((uac, error) -> {
            if (error != null) {
                Throwable cause = SipCore.unwrap(error);
                if (a.canceled.isDone()) {
                    throw new java.util.concurrent.CompletionException(new SipError(487, "Request Terminated"));
                }
                if (options.passFailure()) {
                    int status = cause instanceof SipError s ? s.status() : 500;
                    SipResponse.Builder failure = SipResponse.builder(status >= 300 ? status : 500);
                    if (cause instanceof SipError s && s.response().isPresent()) {
                        failure.reason(s.response().get().reason());
                        copyHeaders(options, s.response().get(), failure);
                    }
                    core.respond(a, failure.build()).exceptionally(e -> null);
                }
                throw new java.util.concurrent.CompletionException(cause);
            }
            return uac;
        }).thenCompose(uac -> {
            String answer = options.answerToA().map(f -> f.apply(uac.remoteSdp())).orElse(uac.remoteSdp());
            UasOptions toA = UasOptions.withSdp(answer);
            if (uac instanceof CallDialog d && d.answer().isPresent()) {
                for (String name : options.propagateHeaders()) {
                    String value = d.answer().get().header(name).orElse(null);
                    if (value != null) {
                        toA = toA.withHeader(name, value);
                    }
                }
            }
            return createUas(a, toA).handle((uas, error) -> {
                if (error != null) {
                    uac.destroy(); // A is gone (canceled or failed): no ghost B leg
                    throw new java.util.concurrent.CompletionException(SipCore.unwrap(error));
                }
                link(uas, uac);
                return new B2bua(uas, uac);
            });
        });
    }

    private static void copyHeaders(B2buaOptions options, SipResponse from, SipResponse.Builder to) {
        for (String name : options.propagateHeaders()) {
            from.header(name).ifPresent(v -> to.addHeader(name, v));
        }
    }

    /** When one leg ends, so does the other. */
    private static void link(Dialog a, Dialog b) {
        a.destroyed().thenRun(b::destroy);
        b.destroyed().thenRun(a::destroy);
    }

    @Override
    public CompletionStage<ProxyResult> proxy(SipRequest request, ProxyOptions options) {
        PendingRequest in = pending(request).orElse(null);
        if (in == null || !in.finalSent.compareAndSet(false, true)) {
            return alreadyAnswered(request);
        }
        String first = options.destinations().isEmpty() ? request.requestUriText() : options.destinations().get(0);
        SipRequest toProxy = Wire.request(request.method(), first, options.headers(), "", "");
        return in.received.connection().proxy(in.transactionId(), toProxy, options, PROXY_DEADLINE)
                .whenComplete((r, e) -> core.finish(in));
    }

    @Override
    public Map<String, Object> attributes(SipRequest request) {
        return core.pending(request).map(in -> in.attributes).orElse(Map.of());
    }
}
