package org.switchboard.media.fork;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.media.audio.FrameResampler;
import org.switchboard.executors.SerialExecutor;
import org.switchboard.media.core.Channel;

/**
 * One fork of a channel's audio to a WebSocket server (subprotocol {@code audio.drachtio.org}), as mod_audio_fork
 * runs one: L16 little-endian frames every 20 ms at the asked rate (mono, mixed or stereo), the metadata as the first
 * text frame, the server's text messages turned into events and actions ({@link ForkMessages}), and its binary frames
 * played to the caller.
 *
 * <p>Threads: the media clock hands each frame over and never waits (a frame that finds the socket not writable is
 * dropped, and a {@code buffer_overrun} event says so once); the Netty event loop does the socket's I/O; the server's
 * text messages are handled in order on a worker lane (a playAudio writes a file); the api command's caller starts
 * and stops it. Connecting and the WebSocket handshake each have a deadline; closing waits
 * for nothing.
 */
final class AudioFork {

    private static final Logger LOG = LoggerFactory.getLogger(AudioFork.class);
    static final String SUBPROTOCOL = "audio.drachtio.org";
    /** Frames kept while the connection opens (2 s, mod_audio_fork's default buffer). */
    private static final int EARLY_FRAMES = 100;
    /** The largest message a server may send (a playAudio of a long prompt in base64). */
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private final Channel channel;
    private final ForkSettings settings;
    private final ForkMessages messages;
    /** Where the server's text messages are handled, in order: they may write files, never on the event loop. */
    private final Executor lane;
    private final Runnable onClosed;
    /** What brings the channel's frames (at its rate) to the fork's rate: the heard side, and the sent one. */
    private final FrameResampler left;
    private final FrameResampler right;
    private final StreamedAudio streamed;
    private final ConcurrentLinkedQueue<byte[]> early = new ConcurrentLinkedQueue<>();
    private final AtomicInteger earlyCount = new AtomicInteger();
    private final AtomicBoolean overrunReported = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean streaming = new AtomicBoolean();
    private volatile io.netty.channel.Channel socket;
    private volatile boolean paused;
    private volatile boolean silenceWhilePaused;
    private volatile boolean stopping;
    private volatile AutoCloseable tap;

    AudioFork(Channel channel, ForkSettings settings, java.nio.file.Path temp, Executor work, Runnable onClosed) {
        this.channel = channel;
        this.lane = new SerialExecutor(work);
        this.settings = settings;
        this.onClosed = onClosed;
        // what the server sends back plays at its own rate: the channel converts it to its own
        this.streamed = new StreamedAudio(settings.returnRate() <= 0 ? settings.rate() : settings.returnRate());
        this.messages = new ForkMessages(channel, temp, streamed);
        // the controller may play a playAudio file after the fork ended: mod_audio_fork deletes them with the channel
        channel.hungUp().whenComplete((cause, e) -> messages.deleteFiles());
        this.left = new FrameResampler(settings.rate());
        this.right = new FrameResampler(settings.rate());
    }

    String bugname() {
        return settings.bugname();
    }

    /** Starts connecting (the result is a {@code connect} or {@code connect_failed} event) and taps the channel. */
    void start(EventLoopGroup group, Duration connectTimeout) throws SSLException {
        SslContext ssl = settings.secure() ? clientTls() : null;
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(settings.url())
                .subprotocol(SUBPROTOCOL)
                .handshakeTimeoutMillis(connectTimeout.toMillis())
                .forceCloseTimeoutMillis(connectTimeout.toMillis())
                .maxFramePayloadLength(MAX_MESSAGE)
                .build();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), settings.url().getHost(), settings.port()));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(ws), new WebSocketFrameAggregator(MAX_MESSAGE),
                                new Inbound());
                    }
                });
        tap = channel.tapBothLegs(this::frame);
        bootstrap.connect(settings.url().getHost(), settings.port()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                failed(f.cause());
            } else if (closed.get()) {
                f.channel().close();
            } else {
                f.channel().closeFuture().addListener(c -> dropped());
            }
        });
    }

    /**
     * TLS for {@code wss://}: the server's certificate checked against the JDK's trust store and the URL's host, or,
     * with the channel variable {@code MOD_AUDIO_FORK_ALLOW_SELFSIGNED} true (mod_audio_fork's), any certificate.
     */
    private SslContext clientTls() throws SSLException {
        SslContextBuilder tls = SslContextBuilder.forClient();
        if (channel.get("MOD_AUDIO_FORK_ALLOW_SELFSIGNED").map(AudioFork::isTrue).orElse(false)) {
            tls.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        return tls.build();
    }

    /** FreeSWITCH's {@code switch_true}: yes, on, true, t, enabled, active, allow, or a number other than 0. */
    static boolean isTrue(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.matches("-?\\d+")) {
            return !v.matches("-?0+");
        }
        return java.util.Set.of("yes", "on", "true", "t", "enabled", "active", "allow").contains(v);
    }

    /** One frame heard and one sent (clock thread). */
    private void frame(short[] heard, short[] sent) {
        if (stopping || closed.get()) {
            return;
        }
        if (paused && !silenceWhilePaused) {
            return;
        }
        byte[] bytes = encode(paused ? new short[heard.length] : heard, paused ? new short[sent.length] : sent);
        io.netty.channel.Channel s = socket;
        if (s == null) {
            if (earlyCount.incrementAndGet() <= EARLY_FRAMES) {
                early.add(bytes);
            } else {
                earlyCount.decrementAndGet();
                overrun();
            }
            if (socket != null) {
                // the connection opened while this frame was queued: have the event loop send it
                socket.eventLoop().execute(this::sendEarly);
            }
            return;
        }
        if (!s.isWritable()) {
            overrun();
            return;
        }
        s.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), s.voidPromise());
    }

    private byte[] encode(short[] heard, short[] sent) {
        short[] pcm = switch (settings.mix()) {
            case MONO -> left.convert(heard);
            case MIXED -> {
                short[] sum = new short[heard.length];
                for (int i = 0; i < sum.length; i++) {
                    int other = i < sent.length ? sent[i] : 0;
                    sum[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, heard[i] + other));
                }
                yield left.convert(sum);
            }
            case STEREO -> interleave(left.convert(heard), right.convert(sent));
        };
        byte[] out = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            out[2 * i] = (byte) pcm[i];
            out[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        return out;
    }

    private static short[] interleave(short[] left, short[] right) {
        short[] out = new short[left.length * 2];
        for (int i = 0; i < left.length; i++) {
            out[2 * i] = left[i];
            out[2 * i + 1] = right[i];
        }
        return out;
    }

    private void overrun() {
        if (overrunReported.compareAndSet(false, true)) {
            messages.fire(ForkEvents.BUFFER_OVERRUN, null);
        }
    }

    /** The handshake completed (event loop): the metadata first, then what was kept meanwhile. */
    private void opened(io.netty.channel.Channel ch) {
        messages.fire(ForkEvents.CONNECT, null);
        if (settings.metadata() != null && !settings.metadata().isEmpty()) {
            ch.write(new TextWebSocketFrame(settings.metadata()), ch.voidPromise());
        }
        sendEarly(ch);
        socket = ch;
        sendEarly(ch);
        if (closed.get()) {
            ch.close();
        }
    }

    private void sendEarly() {
        io.netty.channel.Channel s = socket;
        if (s != null) {
            sendEarly(s);
        }
    }

    private void sendEarly(io.netty.channel.Channel ch) {
        byte[] b;
        while ((b = early.poll()) != null) {
            earlyCount.decrementAndGet();
            ch.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b)), ch.voidPromise());
        }
        ch.flush();
    }

    /** Binary frames from the server: L16 little-endian at the return rate, played under what the channel plays. */
    private void returned(ByteBuf content) {
        if (settings.returnRate() < 0) {
            return;
        }
        short[] samples = new short[content.readableBytes() / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = content.getShortLE(content.readerIndex() + 2 * i);
        }
        streamed.add(samples);
        if (streaming.compareAndSet(false, true)) {
            channel.background(streamed);
        }
    }

    private void failed(Throwable cause) {
        if (closed.compareAndSet(false, true)) {
            LOG.info("MS-FORK-001 {}: audio fork {} to {} failed: {}", channel.uuid(), settings.bugname(),
                    settings.url(), cause.toString());
            // released first: a controller that starts again on the event finds the name free
            release();
            messages.fire(ForkEvents.CONNECT_FAILED, "{\"reason\":\"" + ForkMessages.jsonEscape(cause.toString()) + "\"}");
        }
    }

    /** The connection ended: by the server when this side did not close it (a {@code disconnect} event then). */
    private void dropped() {
        if (closed.compareAndSet(false, true)) {
            release();
            if (!stopping) {
                messages.fire(ForkEvents.DISCONNECT, null);
            }
        }
    }

    /** Sends a text frame; false when the connection is not open. */
    boolean sendText(String text) {
        io.netty.channel.Channel s = socket;
        if (s == null || closed.get()) {
            return false;
        }
        s.writeAndFlush(new TextWebSocketFrame(text), s.voidPromise());
        return true;
    }

    /** Stops sending audio ({@code silence}: sends silence instead) or sends it again. */
    void pause(boolean on, boolean silence) {
        silenceWhilePaused = silence;
        paused = on;
    }

    /** Drops the streamed audio not yet played. */
    void stopPlay() {
        streamed.clear();
    }

    /**
     * Stops sending audio but keeps the connection until the server closes it (so it can send its last results),
     * or until {@code deadline}.
     */
    void gracefulShutdown(Duration deadline) {
        stopping = true;
        io.netty.channel.Channel s = socket;
        if (s != null) {
            s.eventLoop().schedule(() -> close(null), deadline.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            close(null);
        }
    }

    /** Sends {@code finalText} (if any), then closes the connection; no {@code disconnect} event follows. */
    void close(String finalText) {
        stopping = true;
        io.netty.channel.Channel s = socket;
        if (s != null) {
            if (finalText != null) {
                s.write(new TextWebSocketFrame(finalText), s.voidPromise());
            }
            s.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
        }
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    private void release() {
        AutoCloseable t = tap;
        if (t != null) {
            try {
                t.close();
            } catch (Exception e) {
                LOG.debug("removing a fork's tap", e);
            }
        }
        if (streaming.get()) {
            channel.background(null);
        }
        early.clear();
        onClosed.run();
    }

    /** The server's frames, once the handshake is done. */
    private final class Inbound extends SimpleChannelInboundHandler<WebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                opened(ctx.channel());
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                failed(new java.util.concurrent.TimeoutException("WebSocket handshake timed out"));
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                String message = text.text();
                lane.execute(() -> messages.handle(message));
            } else if (frame instanceof BinaryWebSocketFrame) {
                returned(frame.content());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (socket == null) {
                failed(cause);
            } else {
                LOG.debug("MS-FORK-002 {}: audio fork {}: {}", channel.uuid(), settings.bugname(), cause.toString());
            }
            ctx.close();
        }
    }
}
