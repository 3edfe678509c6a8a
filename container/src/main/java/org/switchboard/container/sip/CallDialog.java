package org.switchboard.container.sip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.message.SipResponse;

/** A dialog an application holds, owned by its {@link Call}; in-dialog requests go through the server by dialog id. */
final class CallDialog implements Dialog {

    private static final Logger LOG = LoggerFactory.getLogger(CallDialog.class);

    private final SipCore core;
    final DrachtioClient client;
    final Call call;
    final Application application;
    private final String id;
    private final String callId;
    private final Role role;
    private final String method;
    private volatile String localSdp;
    private volatile String remoteSdp;
    private volatile boolean active = true;
    // for a UAC dialog, the 2xx that established it (a B2BUA copies headers from it)
    private volatile SipResponse answer;
    private final CompletableFuture<DialogEvent> destroyed = new CompletableFuture<>();
    private final List<Consumer<DialogEvent>> listeners = new CopyOnWriteArrayList<>();
    // re-INVITEs one after another (RFC 3261 14.1: no overlap); guarded by this
    private CompletableFuture<?> modifications = CompletableFuture.completedFuture(null);
    // the call watchdog's view of the dialog: set when the dialog is registered (INVITE dialogs only)
    private volatile CallWatchdog.Activity activity = CallWatchdog.Activity.NONE;

    CallDialog(SipCore core, DrachtioClient client, Call call, Application application, String id, Role role,
               String method, String localSdp, String remoteSdp) {
        this.core = core;
        this.client = client;
        this.call = call;
        this.application = application;
        this.id = id;
        this.callId = call.id;
        this.role = role;
        this.method = method;
        this.localSdp = localSdp;
        this.remoteSdp = remoteSdp;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String localSdp() {
        return localSdp;
    }

    @Override
    public String remoteSdp() {
        return remoteSdp;
    }

    void remoteSdp(String sdp) {
        this.remoteSdp = sdp;
    }

    void answer(SipResponse response) {
        this.answer = response;
    }

    java.util.Optional<SipResponse> answer() {
        return java.util.Optional.ofNullable(answer);
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public CompletionStage<DialogEvent> destroyed() {
        return destroyed.copy();
    }

    void watch(CallWatchdog.Activity watched) {
        this.activity = watched;
    }

    CallWatchdog.Activity activity() {
        return activity;
    }

    @Override
    public CompletionStage<Void> destroy(Map<String, String> headers) {
        if (!end(() -> core.registry().dialogEnded(call, "local"))) {
            return CompletableFuture.completedFuture(null);
        }
        complete(new DialogEventImpl(DialogEvent.Type.DESTROY, this, null, null, "local"));
        return sendEnd(headers);
    }

    /** Ends the dialog from this side like {@link #destroy}, with {@code first} run as {@link #end} says. */
    CompletionStage<Void> terminate(Map<String, String> headers, Runnable first) {
        return end(first) ? sendEnd(headers) : CompletableFuture.completedFuture(null);
    }

    // what ends the dialog: BYE; for a subscription the terminating NOTIFY or the SUBSCRIBE with Expires 0
    private CompletionStage<Void> sendEnd(Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        String verb = "BYE";
        if (method.equals("SUBSCRIBE")) {
            if (role == Role.UAS) {
                verb = "NOTIFY";
                h.putIfAbsent("Subscription-State", "terminated");
            } else {
                verb = "SUBSCRIBE";
                h.putIfAbsent("Expires", "0");
            }
        }
        return core.sendInDialog(this, verb, h, "", "").thenApply(r -> (Void) null)
                .exceptionally(e -> {
                    LOG.debug("dialog {}: {} failed: {}", id, "end", e.toString());
                    return null;
                });
    }

    @Override
    public synchronized CompletionStage<SipResponse> modify(String sdp) {
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        modifications = modifications.handle((r, e) -> null).thenCompose(x -> core.sendInDialog(this, "INVITE", Map.of(),
                "application/sdp", sdp).toCompletableFuture().whenComplete((response, error) -> {
                    if (error == null) {
                        localSdp = sdp;
                        String answer = Wire.sdp(response);
                        if (!answer.isEmpty()) {
                            remoteSdp = answer;
                        }
                        result.complete(response);
                    } else {
                        result.completeExceptionally(error);
                    }
                }));
        return result;
    }

    @Override
    public CompletionStage<SipResponse> hold() {
        return modify(direction(localSdp, "sendonly"));
    }

    @Override
    public CompletionStage<SipResponse> unhold() {
        return modify(direction(localSdp, "sendrecv"));
    }

    static String direction(String sdp, String direction) {
        String replaced = sdp.replaceAll("(?m)^a=(sendrecv|sendonly|recvonly|inactive)\\r?$", "a=" + direction + "\r");
        if (!replaced.equals(sdp) || sdp.isEmpty()) {
            return replaced;
        }
        return sdp + (sdp.endsWith("\n") ? "" : "\r\n") + "a=" + direction + "\r\n";
    }

    @Override
    public CompletionStage<SipResponse> request(String verb, Map<String, String> headers, String contentType, String body) {
        return core.sendInDialog(this, verb.toUpperCase(java.util.Locale.ROOT), headers, contentType, body);
    }

    @Override
    public void addListener(Consumer<DialogEvent> listener) {
        listeners.add(listener);
    }

    List<Consumer<DialogEvent>> listeners() {
        return listeners;
    }

    void sendResponse(String transactionId, SipResponse response) {
        client.respond(transactionId, response).thenAccept(core::recordSent).exceptionally(e -> {
            LOG.debug("dialog {}: response not sent: {}", id, e.toString());
            return null;
        });
    }

    /**
     * Marks the dialog ended, runs {@code first} (what must be queued on the call's lane before the call can end)
     * and takes the dialog from its call; true for the caller that ended it, and only then is {@code first} run.
     */
    boolean end(Runnable first) {
        synchronized (this) {
            if (!active) {
                return false;
            }
            active = false;
        }
        first.run();
        core.forget(this);
        return true;
    }

    void complete(DialogEvent destroy) {
        destroyed.complete(destroy);
    }

    @Override
    public String toString() {
        return "Dialog[" + role + " " + id + (active ? "" : " ended") + "]";
    }
}
