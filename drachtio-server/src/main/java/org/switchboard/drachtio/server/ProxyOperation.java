package org.switchboard.drachtio.server;

import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.TransportError;
import org.switchboard.sip.stack.ua.DialogState;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * One stateful proxy operation (docs/drachtio.md): a request received from upstream forwarded to one or more
 * targets, serially or all at once, with 3xx Contacts followed when asked, provisional responses relayed at once,
 * the first 2xx relayed and the other branches canceled, and otherwise the best final response (RFC 3261 16.7.6)
 * relayed when no branch is left. The app that asked, if any, is told every final response ({@code continue}) and
 * the end ({@code done}). All state changes happen under this object's lock.
 */
final class ProxyOperation {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyOperation.class);

    /** What to forward and how (the {@code proxy} frame's tokens, decoded). */
    record Options(boolean recordRoute, boolean fullResponse, boolean followRedirects, boolean simultaneous,
                   long provisionalTimeoutMillis) {
    }

    private final class Branch implements ResponseListener {
        final String target;
        ClientTransaction tx;
        Destination destination;
        boolean responded;
        boolean done;
        boolean cancelOnResponse;
        ScheduledFuture<?> provisionalTimer;

        Branch(String target) {
            this.target = target;
        }

        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            branchResponse(this, response);
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
            branchResponse(this, MessageRules.withToTag(SipResponse.forRequest(transaction.request(), 408),
                    transaction.request(), null).build());
        }

        @Override
        public void onTransportError(ClientTransaction transaction, TransportError error) {
            branchResponse(this, MessageRules.withToTag(SipResponse.forRequest(transaction.request(), 503),
                    transaction.request(), null).build());
        }
    }

    private final Proxying proxying;
    private final ServerTransaction upstream;
    private final SipRequest base;
    private final boolean replaceRequestUri;
    private final Options options;
    private final AppConnection app;
    private final String frameId;
    private final Consumer<ProxyOperation> onDone;
    private final Deque<String> targets = new ArrayDeque<>();
    private final List<Branch> branches = new ArrayList<>();
    private SipResponse best;
    private boolean finished;
    private boolean canceled; // the caller's CANCEL was answered 487: no 2xx can reach it any more
    private boolean anySent;
    private Destination flow; // RFC 5626: every branch goes down this connection, whatever its target says

    /**
     * @param base the request to forward, Max-Forwards already decremented, extra headers added, routes as wanted
     * @param replaceRequestUri whether each target becomes the Request-URI (else targets are next hops only)
     * @param app the app to report to, or {@code null} for forwarding the server does on its own
     */
    ProxyOperation(Proxying proxying, ServerTransaction upstream, SipRequest base, boolean replaceRequestUri,
                   List<String> targets, Options options, AppConnection app, String frameId,
                   Consumer<ProxyOperation> onDone) {
        this.proxying = proxying;
        this.upstream = upstream;
        this.base = base;
        this.replaceRequestUri = replaceRequestUri;
        this.targets.addAll(targets);
        this.options = options;
        this.app = app;
        this.frameId = frameId;
        this.onDone = onDone;
    }

    /** Sends every branch down {@code flow}, a client's connection named by a flow token; before {@link #start}. */
    synchronized ProxyOperation overFlow(Destination flow) {
        this.flow = flow;
        return this;
    }

    ServerTransaction upstream() {
        return upstream;
    }

    /** Starts the first target (or all of them when forking simultaneously). */
    synchronized void start() {
        if (finished) {
            // the caller canceled between the operation's registration and its start: 487 went upstream already
            if (!options.fullResponse() && app != null) {
                app.push(done());
            }
            return;
        }
        do {
            startNext();
        } while (options.simultaneous() && !targets.isEmpty());
        if (!options.fullResponse() && app != null && anySent) {
            app.push(done());
        }
        finishIfIdle();
    }

    private void startNext() {
        while (!targets.isEmpty()) {
            String target = targets.poll();
            Optional<SipUri> uri = sipUri(target);
            if (uri.isEmpty()) {
                LOG.debug("proxy: skipping target {} (not a SIP URI)", target);
                continue;
            }
            Branch branch = new Branch(target);
            branches.add(branch);
            SipUri hop = proxying.outboundProxy().orElse(uri.get()); // a configured outbound proxy is every branch's next hop
            Optional<Destination> literal;
            try {
                literal = flow != null ? Optional.of(flow) : proxying.network().withoutLookup(hop);
            } catch (IllegalArgumentException e) {
                branch.done = true;
                continue;
            }
            if (literal.isPresent()) {
                send(branch, uri.get(), literal.get());
            } else {
                proxying.resolver().execute(() -> {
                    Destination d;
                    try {
                        d = Destination.resolve(hop);
                    } catch (UnknownHostException | IllegalArgumentException e) {
                        d = null;
                    }
                    Destination resolved = d;
                    synchronized (this) {
                        if (resolved == null) {
                            branch.done = true;
                            advance();
                        } else {
                            send(branch, uri.get(), resolved);
                        }
                    }
                });
            }
            return;
        }
    }

    private void send(Branch branch, SipUri uri, Destination destination) {
        if (finished || proxying.addresses().isOwnAddress(destination)) {
            branch.done = true;
            if (!finished) {
                advance();
            }
            return;
        }
        SipRequest.Builder b = base.toBuilder();
        if (replaceRequestUri) {
            b = SipRequest.builder(base.method(), uri.toString()).headers(base.headers()).body(base.body());
        }
        if (options.recordRoute()) {
            boolean path = base.isMethod("REGISTER");
            String header = path ? "Path" : HeaderNames.RECORD_ROUTE;
            String out = proxying.addresses().hostFor(destination);
            Optional<String> in = proxying.addresses().hostOfArrival(upstream.incoming()).filter(h -> !h.equals(out));
            // RFC 5626: the side behind a connection this server cannot open again gets a flow token in its entry
            Optional<String> inFlow = proxying.flowTokens().forArrival(upstream.incoming(), base);
            Optional<String> outFlow = Optional.ofNullable(flow).map(proxying.flowTokens()::token);
            if (in.isPresent()) {
                // RFC 5658: leaving by another listen point (UDP in, TLS out...), one entry for each side, so that
                // each end of the dialog reaches this server the way it came; the callee's side on top
                b.addHeaderFirst(header, entry(inFlow, in.get(), ";lr;r2=on", path))
                        .addHeaderFirst(header, entry(outFlow, out, ";lr;r2=on", path));
            } else {
                b.addHeaderFirst(header, entry(inFlow.or(() -> outFlow), out, ";lr", path));
            }
            if (base.isMethod("REGISTER")) {
                b.addHeader(HeaderNames.REQUIRE, "path");
            }
        }
        branch.destination = destination;
        try {
            branch.tx = proxying.network().sendRequest(b.build(), destination, branch);
        } catch (IllegalStateException e) {
            branch.done = true;
            advance();
            return;
        }
        anySent = true;
        if (options.provisionalTimeoutMillis() > 0) {
            branch.provisionalTimer = proxying.timer().schedule(() -> provisionalTimeout(branch),
                    options.provisionalTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A Record-Route or Path entry; one with a flow token is marked {@code ob} in a Path (RFC 5626). */
    private static String entry(Optional<String> flowToken, String hostPort, String parameters, boolean path) {
        return "<sip:" + flowToken.map(t -> t + "@").orElse("") + hostPort + parameters
                + (path && flowToken.isPresent() ? ";ob" : "") + ">";
    }

    private synchronized void provisionalTimeout(Branch branch) {
        if (branch.responded || branch.done || finished) {
            return;
        }
        LOG.debug("proxy: {} sent nothing within {} ms; trying the next target", branch.target,
                options.provisionalTimeoutMillis());
        branch.done = true;
        branch.cancelOnResponse = true;
        advance();
    }

    private synchronized void branchResponse(Branch branch, SipResponse response) {
        int status = response.status();
        if (!branch.responded) {
            branch.responded = true;
            if (branch.provisionalTimer != null) {
                branch.provisionalTimer.cancel(false);
            }
            if ((branch.cancelOnResponse || finished) && status < 200 && base.isMethod("INVITE")) {
                proxying.network().sendCancel(branch.tx, MessageRules.IGNORED);
                return;
            }
        }
        if (status == 100) {
            return;
        }
        if (status < 200) {
            if (!finished && !branch.done) {
                relay(response);
            }
            return;
        }
        boolean wasLive = !branch.done;
        branch.done = true;
        if (status < 300 && canceled) {
            hangUp(branch, response);
            return;
        }
        if (status < 300) {
            // every 2xx goes upstream, even after the first: the caller must see (and ACK, then end) each fork
            relay(response);
            report(branch, response);
            if (!finished) {
                finished = true;
                cancelOthers(branch);
                complete();
            }
            return;
        }
        if (finished || !wasLive) {
            return;
        }
        report(branch, response);
        if (status / 100 == 3 && options.followRedirects()) {
            List<String> contacts = new ArrayList<>();
            try {
                for (NameAddress contact : response.contacts()) {
                    contacts.add(contact.uri().toString());
                }
            } catch (SipParseException e) {
                LOG.debug("proxy: unreadable Contact in a {} from {}", status, branch.target);
            }
            for (int i = contacts.size() - 1; i >= 0; i--) {
                targets.addFirst(contacts.get(i));
            }
        }
        if (best == null || rank(response) < rank(best)) {
            best = response;
        }
        if (status == 401 || status == 407) {
            // a challenge ends the search: the caller must answer it
            targets.clear();
            best = response;
        }
        advance();
    }

    /** After a branch ended without success: start the next target, or finish when nothing is pending. */
    private void advance() {
        if (finished) {
            return;
        }
        if (options.simultaneous()) {
            while (!targets.isEmpty()) {
                startNext(); // redirect targets join the fork
            }
        } else if (branches.stream().allMatch(b -> b.done)) {
            startNext();
        }
        finishIfIdle();
    }

    private void finishIfIdle() {
        if (finished || !targets.isEmpty() || !branches.stream().allMatch(b -> b.done)) {
            return;
        }
        finished = true;
        SipResponse response = best != null ? best
                : MessageRules.withToTag(SipResponse.forRequest(upstream.request(), 408), upstream.request(), null).build();
        if (best != null) {
            relay(response);
        } else {
            respondUpstream(response);
        }
        complete();
    }

    /** Upstream CANCEL: 487 to the caller, CANCEL on every branch that answered, the rest canceled when they do. */
    synchronized void cancel() {
        if (finished) {
            return;
        }
        finished = true;
        canceled = true;
        targets.clear();
        respondUpstream(MessageRules.withToTag(SipResponse.forRequest(upstream.request(), 487), upstream.request(), null)
                .build());
        cancelOthers(null);
        complete();
    }

    /**
     * A 2xx that crossed the caller's CANCEL, which was already answered 487: the caller will never ACK it, so the
     * callee would send it again for 32 s and then hang up. The proxy confirms the call and ends it at once instead,
     * along the route set below itself (the Record-Route entries it added itself are left out).
     */
    private void hangUp(Branch branch, SipResponse ok) {
        SipRequest sent = branch.tx.request();
        List<String> ours = sent.headers().values(HeaderNames.RECORD_ROUTE);
        SipResponse.Builder below = ok.toBuilder().removeHeader(HeaderNames.RECORD_ROUTE);
        ok.headers().values(HeaderNames.RECORD_ROUTE).stream().filter(rr -> !ours.contains(rr))
                .forEach(rr -> below.addHeader(HeaderNames.RECORD_ROUTE, rr));
        DialogState dialog = DialogState.asUac(sent, below.build(), branch.destination);
        LOG.debug("proxy: a 2xx from {} crossed the caller's CANCEL; ending that call", branch.target);
        proxying.network().sendStateless(dialog.ack(sent.cseq().number()).build(), proxying.network().inDialog(dialog));
        proxying.network().sendRequest(dialog.request("BYE").build(), proxying.network().inDialog(dialog), MessageRules.IGNORED);
    }

    private void cancelOthers(Branch winner) {
        for (Branch b : branches) {
            if (b == winner || b.tx == null || b.tx.hasFinalResponse()) {
                continue;
            }
            if (b.responded && b.tx.request().isMethod("INVITE")) {
                proxying.network().sendCancel(b.tx, MessageRules.IGNORED);
            } else {
                b.cancelOnResponse = true;
            }
            b.done = true;
        }
    }

    private void complete() {
        if (app != null && options.fullResponse()) {
            app.push(done());
        }
        onDone.accept(this);
    }

    private DrachtioFrame done() {
        return DrachtioFrame.of(AppConnection.newId(), "response", frameId, "OK", "done");
    }

    /** Sends a downstream response upstream, without our Via (which may share a line with the others). */
    private void relay(SipResponse response) {
        List<String> vias = response.headers().values(HeaderNames.VIA);
        SipResponse.Builder b = response.toBuilder().removeHeader(HeaderNames.VIA);
        for (int i = vias.size() - 1; i >= 1; i--) {
            b.addHeaderFirst(HeaderNames.VIA, vias.get(i));
        }
        respondUpstream(b.build());
    }

    private void respondUpstream(SipResponse response) {
        try {
            upstream.respond(response);
        } catch (IllegalStateException e) {
            LOG.debug("proxy: upstream already answered: {}", e.getMessage());
        }
    }

    private void report(Branch branch, SipResponse response) {
        if (app == null || !options.fullResponse()) {
            return;
        }
        Destination d = branch.destination;
        String sip = AppFrames.text(response);
        app.push(DrachtioFrame.of(AppConnection.newId(), "response", AppFrames.concat(List.of(frameId, "OK", "network",
                Integer.toString(AppFrames.utf8Length(sip)), AppFrames.proto(d.transport()),
                d.address().getAddress().getHostAddress(), Integer.toString(d.address().getPort()), AppFrames.now()),
                "", "", "continue")).withSipMessage(sip));
    }

    /** RFC 3261 16.7.6 as drachtio-server ranks: 6xx, then 401/407/415/420/484, other 4xx, 5xx, 3xx. */
    private static int rank(SipResponse r) {
        int s = r.status();
        if (s >= 600) {
            return 0;
        }
        if (s == 401 || s == 407 || s == 415 || s == 420 || s == 484) {
            return 1;
        }
        if (s >= 400 && s < 500) {
            return 2;
        }
        return s >= 500 ? 3 : 4;
    }

    private static Optional<SipUri> sipUri(String target) {
        try {
            Uri uri = Uri.parse(target.toLowerCase(Locale.ROOT).startsWith("sip") ? target : "sip:" + target);
            return uri instanceof SipUri sip ? Optional.of(sip) : Optional.empty();
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    /** Parses {@code 2s}, {@code 1500ms} or a bare number of milliseconds; empty or unreadable means none. */
    static long millis(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Long.parseLong(v.substring(0, v.length() - 2).strip());
            }
            if (v.endsWith("s")) {
                return Math.round(Double.parseDouble(v.substring(0, v.length() - 1).strip()) * 1000);
            }
            return v.isEmpty() ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
