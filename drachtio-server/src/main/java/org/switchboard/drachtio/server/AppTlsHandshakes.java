package org.switchboard.drachtio.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.stack.transport.TlsAcceptor;

/**
 * Watches the TLS handshake of an app connection on the TLS app port: a failed one is counted and logged at WARN
 * with what to fix, and the connection closed; the app's frames only flow once the handshake is done.
 */
final class AppTlsHandshakes extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AppTlsHandshakes.class);

    private final LongAdder failures;

    AppTlsHandshakes(LongAdder failures) {
        this.failures = failures;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            ctx.pipeline().remove(this);
            if (!handshake.isSuccess()) {
                failures.increment();
                LOG.warn("DRS-007 TLS handshake from app {} failed: {}", ctx.channel().remoteAddress(),
                        TlsAcceptor.describeFailure(handshake.cause()));
                ctx.close();
                return;
            }
        }
        super.userEventTriggered(ctx, event);
    }
}
