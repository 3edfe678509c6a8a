package org.switchboard.sip.stack.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.Via;
import org.switchboard.sip.stack.codec.Inbound;

/** The end of every SIP pipeline: stamps requests with where they came from and hands them to the listener. */
final class InboundHandler extends SimpleChannelInboundHandler<Inbound> {

    private static final Logger LOG = LoggerFactory.getLogger(InboundHandler.class);

    private final TransportLayer layer;
    private final Transport transport;
    // outbound connections only (null on accepted ones and UDP): completes when the connection can carry SIP
    private final CompletableFuture<Channel> ready;

    InboundHandler(TransportLayer layer, Transport transport, CompletableFuture<Channel> ready) {
        super(Inbound.class);
        this.layer = layer;
        this.transport = transport;
        this.ready = ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (transport.isReliable()) {
            layer.connectionActive(transport, ctx.channel());
        }
        if (ready != null && !transport.isSecure() && !transport.isWebSocket()) {
            ready.complete(ctx.channel());
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (transport.isReliable()) {
            layer.connectionClosed(ctx.channel());
        }
        if (transport.isWebSocket() && ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            layer.webSocketFlows().closed(transport, remote);
        }
        if (ready != null) {
            ready.completeExceptionally(new TransportException("connection to " + ctx.channel().remoteAddress()
                    + " closed before it was ready", null));
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Inbound inbound) {
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        try {
            if (inbound instanceof Inbound.Message m) {
                layer.stats().received();
                layer.meters().received(m.message());
                InetSocketAddress sender = (InetSocketAddress) m.sender();
                SipMessage message = m.message() instanceof SipRequest request ? stamp(request, sender) : m.message();
                if (transport == Transport.TLS && message instanceof SipRequest request) {
                    alias(ctx.channel(), request);
                } else if (transport.isWebSocket() && message instanceof SipRequest request) {
                    layer.webSocketFlows().seen(request, new Destination(transport, sender));
                }
                layer.tapReceived(message, transport, sender);
                layer.listener().onMessage(new IncomingMessage(message, transport, sender, local, ctx.channel(), false));
            } else if (inbound instanceof Inbound.Malformed bad) {
                layer.stats().malformed();
                LOG.debug("malformed SIP from {} over {}: {}", bad.sender(), transport, bad.reason());
                InetSocketAddress sender = (InetSocketAddress) bad.sender();
                Optional<IncomingMessage> request = bad.partial()
                        .filter(SipRequest.class::isInstance)
                        .map(p -> new IncomingMessage(p, transport, sender, local, ctx.channel(), bad.closeConnection()));
                layer.listener().onMalformed(bad.reason(), transport, sender, request);
                if (bad.closeConnection() && request.isEmpty()) {
                    // nothing more is read (the framing is lost), but answers to the requests before the fault
                    // still go out on this connection; the idle timeout closes it
                    ctx.channel().config().setAutoRead(false);
                }
            }
        } catch (RuntimeException e) {
            // a listener bug must not take the connection down for the messages after this one
            LOG.warn("SIP listener failed on a message from {}", inbound.sender(), e);
        }
    }

    private void alias(Channel ch, SipRequest request) {
        try {
            ConnectionAlias.of(ch, request.topVia()).ifPresent(sentBy -> layer.connectionAlias(sentBy, ch));
        } catch (SipParseException e) {
            // no readable Via: nothing to alias, and the transaction layer answers 400
        }
    }

    /**
     * RFC 3261 18.2.1 and RFC 3581: add {@code received} when the sent-by host is not where the request
     * came from, and fill in an empty {@code rport}.
     */
    static SipMessage stamp(SipRequest request, InetSocketAddress sender) {
        Via top;
        try {
            request.validate();
            top = request.topVia();
        } catch (SipParseException e) {
            return request; // left as it came, for the transaction layer to answer 400
        }
        String ip = sender.getAddress().getHostAddress();
        boolean fillRport = top.hasRport() && top.rport().isEmpty();
        boolean sameHost = Destination.ipLiteral(top.host()).map(sender.getAddress()::equals).orElse(false);
        if (sameHost && !fillRport) {
            return request;
        }
        Via stamped = top.withParameter("received", ip);
        if (fillRport) {
            stamped = stamped.withParameter("rport", Integer.toString(sender.getPort()));
        }
        String firstLine = request.headers().first(HeaderNames.VIA).orElseThrow();
        List<String> values = new java.util.ArrayList<>();
        org.switchboard.sip.message.Headers.builder().add(HeaderNames.VIA, firstLine).build().values(HeaderNames.VIA)
                .forEach(values::add);
        values.set(0, stamped.toString());
        return request.toBuilder()
                .removeFirstHeader(HeaderNames.VIA)
                .addHeaderFirst(HeaderNames.VIA, String.join(", ", values))
                .build();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            tlsHandshakeDone(ctx, handshake);
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && ready != null) {
            ready.complete(ctx.channel());
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT && ready != null) {
            ready.completeExceptionally(new TransportException("WebSocket handshake with " + ctx.channel().remoteAddress()
                    + " timed out", null));
            ctx.close();
        } else if (event instanceof IdleStateEvent) {
            LOG.debug("closing idle SIP connection to {}", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    private void tlsHandshakeDone(ChannelHandlerContext ctx, SslHandshakeCompletionEvent handshake) {
        if (handshake.isSuccess()) {
            if (ready != null && !transport.isWebSocket()) {
                ready.complete(ctx.channel());
            }
            return;
        }
        layer.stats().tlsHandshakeFailed();
        String reason = TlsFailures.describe(handshake.cause());
        // a refused certificate is an operator's problem (expired, untrusted or for another host): say so at WARN
        LOG.warn("SIP-003 TLS handshake {} {} over {} failed: {}", ready == null ? "from" : "to",
                ctx.channel().remoteAddress(), transport, reason);
        if (ready != null) {
            ready.completeExceptionally(new TransportException("TLS handshake with " + ctx.channel().remoteAddress()
                    + " failed: " + reason, handshake.cause()));
        }
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("SIP {} connection {} failed: {}", transport, ctx.channel().remoteAddress(), cause.toString());
        if (ready != null) {
            ready.completeExceptionally(new TransportException("connection to " + ctx.channel().remoteAddress()
                    + " over " + transport + " failed: " + cause.getMessage(), cause));
        }
        if (transport.isReliable()) {
            ctx.close();
        }
    }
}
