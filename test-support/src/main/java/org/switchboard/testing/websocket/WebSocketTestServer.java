package org.switchboard.testing.websocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test's WebSocket server (for audio forks), on loopback and a free port: keeps the binary data (as 16-bit
 * little-endian PCM) and the texts each connection sent, the path and subprotocol of its handshake, and sends texts
 * and audio back.
 */
public final class WebSocketTestServer implements AutoCloseable {

    /** One connection from a fork. */
    public static final class Peer {
        private final io.netty.channel.Channel channel;
        private final ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        /** The text frames received, in order. */
        public final List<String> texts = new CopyOnWriteArrayList<>();
        /** The path of the handshake's request. */
        public volatile String path;
        /** The subprotocol agreed. */
        public volatile String subprotocol;
        /** Whether the fork closed the connection with a close frame. */
        public volatile boolean closeFrameReceived;
        /** Whether the connection is closed. */
        public volatile boolean closed;

        Peer(io.netty.channel.Channel channel) {
            this.channel = channel;
        }

        /** The bytes of the binary frames received so far. */
        public synchronized byte[] pcm() {
            return pcm.toByteArray();
        }

        /** The PCM received so far as 16-bit little-endian samples. */
        public short[] samples() {
            byte[] b = pcm();
            short[] s = new short[b.length / 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) ((b[2 * i] & 0xff) | b[2 * i + 1] << 8);
            }
            return s;
        }

        synchronized void add(byte[] bytes) {
            pcm.write(bytes, 0, bytes.length);
        }

        /** Sends a text frame. */
        public void sendText(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }

        /** Sends samples as one binary frame of 16-bit little-endian PCM. */
        public void sendPcm(short[] samples) {
            byte[] b = new byte[samples.length * 2];
            for (int i = 0; i < samples.length; i++) {
                b[2 * i] = (byte) samples[i];
                b[2 * i + 1] = (byte) (samples[i] >> 8);
            }
            channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b)));
        }

        /** Closes the connection with a close frame. */
        public void close() {
            channel.writeAndFlush(new CloseWebSocketFrame()).addListener(f -> channel.close());
        }
    }

    private final io.netty.channel.Channel server;
    private final EventLoopGroup own;
    private final String scheme;
    /** The connections, in the order they came. */
    public final List<Peer> peers = new CopyOnWriteArrayList<>();

    /** Listens on loopback, on a free port, on an event loop of its own, agreeing to {@code subprotocol}. */
    public WebSocketTestServer(String subprotocol) throws InterruptedException {
        this(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), subprotocol, null, true);
    }

    /** Listens on loopback, on a free port, with {@code group}'s event loops, agreeing to {@code subprotocol}. */
    public WebSocketTestServer(EventLoopGroup group, String subprotocol) throws InterruptedException {
        this(group, subprotocol, null, false);
    }

    /** As {@link #WebSocketTestServer(EventLoopGroup, String)}, over TLS with {@code tls} (a server context). */
    public WebSocketTestServer(EventLoopGroup group, String subprotocol, SslContext tls) throws InterruptedException {
        this(group, subprotocol, tls, false);
    }

    private WebSocketTestServer(EventLoopGroup group, String subprotocol, SslContext tls, boolean owned)
            throws InterruptedException {
        this.own = owned ? group : null;
        this.scheme = tls == null ? "ws" : "wss";
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/").checkStartsWith(true).subprotocols(subprotocol)
                .maxFramePayloadLength(1 << 20).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Peer peer = new Peer(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.closeFuture().addListener(f -> peer.closed = true);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(config) {
                                    @Override
                                    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame,
                                                          List<Object> out) throws Exception {
                                        if (frame instanceof CloseWebSocketFrame) {
                                            peer.closeFrameReceived = true;
                                        }
                                        super.decode(ctx, frame, out);
                                    }
                                },
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                                            peer.path = done.requestUri();
                                            peer.subprotocol = done.selectedSubprotocol();
                                            peers.add(peer);
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof TextWebSocketFrame t) {
                                            peer.texts.add(t.text());
                                        } else if (msg instanceof BinaryWebSocketFrame b) {
                                            byte[] bytes = new byte[b.content().readableBytes()];
                                            b.content().getBytes(b.content().readerIndex(), bytes);
                                            peer.add(bytes);
                                        }
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** The URL of the server, with {@code path}. */
    public String url(String path) {
        return scheme + "://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + path;
    }

    @Override
    public void close() {
        peers.forEach(p -> p.channel.close());
        server.close().syncUninterruptibly();
        if (own != null) {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
