package org.switchboard.drachtio.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.message.Via;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.IncomingMessage;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.sip.uri.Uri;

/**
 * The server as a proxy: the {@code proxy} frame and the HTTP {@code proxy} decision start a stateful
 * {@link ProxyOperation} on a request from the network; requests and ACKs in dialogs this server Record-Routed are
 * forwarded along their route; responses no transaction wants go statelessly to the next Via.
 *
 * <p>Threads: the map of operations under way, by their server transaction, is concurrent: an operation is added by
 * the app's event loop or the thread that delivered the request, removed by whichever thread finishes it (a SIP
 * event loop with the last final response, the timer thread), and looked up by the SIP event loop of a CANCEL.
 * Each operation serializes itself on its own monitor.
 */
final class Proxying {

    private static final Logger LOG = LoggerFactory.getLogger(Proxying.class);

    private final Map<ServerTransaction, ProxyOperation> operations = new ConcurrentHashMap<>();
    private final DrachtioServerConfig config;
    private final SipNetwork network;
    private final LocalAddresses addresses;
    private final ScheduledExecutorService timer;
    private final ExecutorService resolver;
    private final ParkedRequests parked;
    private final Cdrs cdrs;
    private final FlowTokens flowTokens = FlowTokens.withRandomKey();

    Proxying(DrachtioServerConfig config, SipNetwork network, LocalAddresses addresses, ScheduledExecutorService timer,
             ExecutorService resolver, ParkedRequests parked, Cdrs cdrs) {
        this.config = config;
        this.network = network;
        this.addresses = addresses;
        this.timer = timer;
        this.resolver = resolver;
        this.parked = parked;
        this.cdrs = cdrs;
    }

    SipNetwork network() {
        return network;
    }

    LocalAddresses addresses() {
        return addresses;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ExecutorService resolver() {
        return resolver;
    }

    FlowTokens flowTokens() {
        return flowTokens;
    }

    Optional<SipUri> outboundProxy() {
        return config.outboundProxy();
    }

    int size() {
        return operations.size();
    }

    Stream<String> callIds() {
        return operations.keySet().stream().map(tx -> tx.request().callId().orElse(""));
    }

    /** A {@code proxy} frame (docs/drachtio.md): the app hands a parked request to the stateful proxy. */
    void onAppProxy(AppConnection app, DrachtioFrame frame) {
        if (frame.tokens().size() < 10 || frame.token(9).isEmpty()) {
            app.reply(DrachtioFrame.of(AppConnection.newId(), "response", frame.id(), "NO",
                    "proxy needs a transaction id, six options and at least one destination"));
            return;
        }
        String txnId = frame.token(2);
        OfferedRequest in = parked.get(txnId);
        if (in == null) {
            AppFrames.nok(app, frame, "Unknown transaction id: " + txnId);
            return;
        }
        SipRequest request = in.tx.request();
        List<AppSipMessage.Line> extra = frame.sipMessage()
                .map(m -> AppSipMessage.parse(m, config.preservedHeaderNames()).headers().stream()
                        .filter(l -> !MessageRules.RESPONSE_OWNED.contains(l.name())
                                && !l.name().equals(HeaderNames.MAX_FORWARDS))
                        .toList())
                .orElse(List.of());
        ProxyOperation.Options options = new ProxyOperation.Options(frame.token(3).equals("remainInDialog"),
                frame.token(4).equals("fullResponse"), frame.token(5).equals("followRedirects"),
                frame.token(6).equals("simultaneous"), ProxyOperation.millis(frame.token(7)));
        Optional<ProxyOperation> op;
        synchronized (in) {
            if (in.finalSent || in.provisionalSent) {
                AppFrames.nok(app, frame, "Unknown transaction id: " + txnId);
                return;
            }
            // the operation is registered before the request leaves the parked ones: the caller's CANCEL finds the
            // one or the other. Found in neither, it was answered 487 while the INVITE went on to the callee, whose
            // 2xx then waited 32 s for an ACK that could not come (docs/container.md, the CANCEL race sweep).
            op = prepare(in.tx, request, frame.tokens().subList(9, frame.tokens().size()), options, app, frame.id(), extra);
            parked.unpark(in);
        }
        if (op.isPresent()) {
            op.get().start();
        } else {
            AppFrames.nok(app, frame, "Rejected with 483 Too Many Hops due to Max-Forwards value of 0");
        }
    }

    /**
     * Proxies a request received from the network (docs/drachtio.md): preloaded Routes removed, Max-Forwards decremented
     * (answered 483 when it is 0), extra header lines added, the Request-URI replaced by each target only when
     * it names this server.
     */
    void proxy(ServerTransaction tx, SipRequest request, List<String> targets, ProxyOperation.Options options,
               AppConnection app, String frameId, List<AppSipMessage.Line> extra) {
        prepare(tx, request, targets, options, app, frameId, extra).ifPresent(ProxyOperation::start);
    }

    /** The operation {@link #proxy} starts, registered for the caller's CANCEL; empty when it answered 483. */
    private Optional<ProxyOperation> prepare(ServerTransaction tx, SipRequest request, List<String> targets,
                                             ProxyOperation.Options options, AppConnection app, String frameId,
                                             List<AppSipMessage.Line> extra) {
        int maxForwards = request.maxForwards().orElse(71);
        if (maxForwards <= 0) {
            MessageRules.respond(tx, 483, null);
            return Optional.empty();
        }
        SipRequest.Builder base = request.toBuilder().removeHeader(HeaderNames.ROUTE)
                .setHeader(HeaderNames.MAX_FORWARDS, Integer.toString(Math.min(maxForwards, 71) - 1));
        extra.forEach(l -> base.addHeader(l.name(), l.value()));
        ProxyOperation op = new ProxyOperation(this, tx, base.build(), addresses.isOwnUri(request.requestUri()), targets,
                options, app, frameId, this::done);
        operations.put(tx, op);
        if (request.isMethod("INVITE")) {
            cdrs.record("attempt", "application", List.of(), request);
        }
        return Optional.of(op);
    }

    private void done(ProxyOperation op) {
        operations.remove(op.upstream(), op);
    }

    /** The caller's CANCEL of a request being proxied: 200, and the operation cancels its branches. */
    boolean cancel(ServerTransaction cancel, ServerTransaction invite) {
        ProxyOperation op = operations.get(invite);
        if (op == null) {
            return false;
        }
        MessageRules.respond(cancel, 200, null);
        op.cancel();
        return true;
    }

    /**
     * An in-dialog request whose top Route names this server: a dialog it Record-Routed as a proxy. The Route is
     * removed and the request forwarded, statefully, to the next Route or the Request-URI (docs/drachtio.md).
     */
    boolean forwardRecordRouted(ServerTransaction tx, SipRequest request) {
        return routedHere(request) && forward(tx, request, flowAhead(tx.incoming(), request), false);
    }

    /**
     * A request outside a dialog whose top Route names a flow of this server's (RFC 5626: a registrar reaching a
     * client through the Path this server added to its REGISTER): forwarded down that flow, Record-Routed so that the
     * dialog's requests take it too. Other requests are the apps' (returns false).
     */
    boolean forwardOverFlow(ServerTransaction tx, SipRequest request) {
        if (!routedHere(request)) {
            return false;
        }
        Optional<Destination> flow = flowAhead(tx.incoming(), request);
        return flow.isPresent() && forward(tx, request, flow, true);
    }

    private boolean forward(ServerTransaction tx, SipRequest request, Optional<Destination> flow, boolean recordRoute) {
        if (flow.isPresent() && !network.isOpen(flow.get())) {
            // the client behind it is unreachable until it connects again (and registers, for a new Path)
            MessageRules.respond(tx, 430, null);
            return true;
        }
        SipRequest forwarded = withoutOurRoutes(request);
        Uri next = forwarded.routes().isEmpty() ? forwarded.requestUri() : forwarded.routes().get(0).uri();
        ProxyOperation op = new ProxyOperation(this, tx, forwarded, false, List.of(next.toString()),
                new ProxyOperation.Options(recordRoute, false, false, false, 0), null, "", this::done);
        flow.ifPresent(op::overFlow);
        operations.put(tx, op);
        op.start();
        return true;
    }

    /**
     * The flow named by a token in this server's Route entries at the top of {@code request} (one, or the pair of
     * RFC 5658), unless the request came over that flow itself: then it goes on the other way, along its route.
     */
    private Optional<Destination> flowAhead(IncomingMessage incoming, SipRequest request) {
        List<NameAddress> routes = request.routes();
        for (NameAddress route : routes.subList(0, ourRoutes(routes))) {
            Optional<Destination> flow = flowTokens.flow(route.uri()).filter(f -> !FlowTokens.cameOver(incoming, f));
            if (flow.isPresent()) {
                return flow;
            }
        }
        return Optional.empty();
    }

    /** How many of the Routes on top name this server: the top one, or both of an RFC 5658 pair (marked r2=on). */
    private int ourRoutes(List<NameAddress> routes) {
        return routes.size() > 1 && routes.get(1).uri() instanceof SipUri second
                && second.parameter("r2").isPresent() && addresses.isOwnUri(second) ? 2 : 1;
    }

    /**
     * The request without the Routes naming this server at its top, its Max-Forwards one less: the top one, or both
     * of the pair this server put in a dialog it record-routed across listen points (RFC 5658, marked r2=on).
     */
    private SipRequest withoutOurRoutes(SipRequest request) {
        List<NameAddress> routes = request.routes();
        SipRequest forwarded = MessageRules.withoutTopRoute(request);
        if (ourRoutes(routes) == 1) {
            return forwarded;
        }
        // Routes may share a header line (sipp writes them so): write back the ones after the pair
        SipRequest.Builder b = forwarded.toBuilder().removeHeader(HeaderNames.ROUTE);
        for (NameAddress route : routes.subList(2, routes.size())) {
            b.addHeader(HeaderNames.ROUTE, route.toString());
        }
        return b.build();
    }

    /** Whether the request's top Route names this server. */
    boolean routedHere(SipRequest request) {
        List<NameAddress> routes;
        try {
            routes = request.routes();
        } catch (SipParseException e) {
            return false;
        }
        return !routes.isEmpty() && addresses.isOwnUri(routes.get(0).uri());
    }

    /** The ACK of a 2xx in a dialog this server Record-Routed as a proxy: forwarded statelessly to the next hop. */
    void forwardAck(IncomingMessage incoming, SipRequest ack) {
        SipRequest forwarded = withoutOurRoutes(ack);
        Optional<Destination> flow = flowAhead(incoming, ack);
        if (flow.isPresent()) {
            network.sendStateless(forwarded, flow.get());
            return;
        }
        Uri next = forwarded.routes().isEmpty() ? forwarded.requestUri() : forwarded.routes().get(0).uri();
        if (next instanceof SipUri sip) {
            network.withoutLookup(sip).ifPresentOrElse(d -> network.sendStateless(forwarded, d),
                    () -> resolver.execute(() -> {
                        try {
                            network.sendStateless(forwarded, Destination.resolve(sip));
                        } catch (UnknownHostException e) {
                            LOG.debug("cannot forward an ACK to {}: {}", sip, e.getMessage());
                        }
                    }));
        }
    }

    /** A response no transaction wants: forwarded statelessly to the next Via when there is one (docs/drachtio.md). */
    void forwardStray(SipResponse response) {
        List<Via> vias = response.vias();
        if (vias.size() < 2) {
            return;
        }
        Via next = vias.get(1);
        String host = next.received().orElse(next.host());
        int port = next.rport().orElse(next.port().orElse(5060));
        Optional<InetAddress> address = Destination.ipLiteral(host);
        if (address.isEmpty()) {
            return;
        }
        List<String> rest = response.headers().values(HeaderNames.VIA);
        SipResponse.Builder b = response.toBuilder().removeHeader(HeaderNames.VIA);
        for (int i = rest.size() - 1; i >= 1; i--) {
            b.addHeaderFirst(HeaderNames.VIA, rest.get(i));
        }
        Transport transport;
        try {
            transport = Transport.of(next.transport());
        } catch (IllegalArgumentException e) {
            return;
        }
        network.send(b.build(), new Destination(transport, new InetSocketAddress(address.get(), port)));
    }
}
