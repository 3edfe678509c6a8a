package org.switchboard.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.testing.leak.LeakGateExtension;

@ExtendWith(LeakGateExtension.class)
class TcpListenerTest {

    final InetSocketAddress anyPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void setsUpEachAcceptedConnectionAndClosesThemWithItsOwnGroup() throws Exception {
        CompletableFuture<Boolean> noDelay = new CompletableFuture<>();
        try (TcpListener listener = TcpListener.bind(anyPort, ch -> {
            noDelay.complete(ch.config().getOption(ChannelOption.TCP_NODELAY));
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                    ctx.writeAndFlush(ctx.alloc().buffer().writeByte('!'));
                }
            });
        }); Socket client = new Socket()) {
            assertThat(listener.address().getPort()).isPositive();
            client.connect(listener.address(), 2000);
            client.setSoTimeout(2000);
            client.getOutputStream().write('?');
            InputStream in = client.getInputStream();
            assertThat(in.read()).isEqualTo('!');
            assertThat(noDelay.get(2, TimeUnit.SECONDS)).isTrue();
            listener.close();
            assertThat(in.read()).as("the connection closed with the listener").isEqualTo(-1);
        }
    }

    @Test
    void anAddressInUseIsAnIoException() throws Exception {
        try (TcpListener first = TcpListener.bind(anyPort, ch -> { })) {
            assertThatThrownBy(() -> TcpListener.bind(first.address(), ch -> { })).isInstanceOf(IOException.class);
        }
    }
}
