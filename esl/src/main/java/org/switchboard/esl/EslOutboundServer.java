package org.switchboard.esl;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.switchboard.connection.TcpListener;
import org.switchboard.esl.codec.EslFrameDecoder;

/**
 * Listens for outbound event socket connections: the switch connects once per call that runs the
 * {@code socket} application. Each connection becomes an {@link OutboundSession} that has already sent
 * {@code connect} and received the channel data; it is handed to the session handler off the I/O threads.
 */
public final class EslOutboundServer implements AutoCloseable {

    private final TcpListener listening;

    private EslOutboundServer(InetSocketAddress address, EslClientConfig limits,
                              Function<OutboundSession, EslListener> listeners, Consumer<OutboundSession> onSession) {
        try {
            EslMeters meters = new EslMeters(limits.meters());
            listening = TcpListener.bind(address, ch -> {
                ListenerSlot slot = new ListenerSlot();
                OutboundSession session = new OutboundSession(String.valueOf(ch.remoteAddress()), limits.commandTimeout(),
                        limits.jobTimeout(), limits.eventQueue(), limits.slowConsumerPolicy(), slot, meters);
                slot.target = listeners.apply(session);
                session.channel = ch;
                ch.pipeline().addLast(new EslFrameDecoder(), session.new Handler());
                ch.eventLoop().execute(() -> session.start().whenComplete((s, e) -> {
                    if (e == null) {
                        onSession.accept(s);
                    } else {
                        EslSession.LOG.warn("outbound connection from {} failed before connect: {}", ch.remoteAddress(), e.getMessage());
                        s.close();
                    }
                }));
            });
        } catch (IOException e) {
            throw new EslException.ConnectionClosed("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    /** Forwards events to the listener chosen for the session, once it is known. */
    private static final class ListenerSlot implements EslListener {
        volatile EslListener target;

        @Override
        public void onEvent(org.switchboard.esl.event.EslEvent event) {
            target.onEvent(event);
        }

        @Override
        public void onDisconnect(String reason) {
            target.onDisconnect(reason);
        }
    }

    /**
     * Starts listening. Blocks until bound.
     *
     * @param address where the switch connects ({@code socket <host>:<port> async full})
     * @param limits deadlines and event queue of every session (host, port and password are not used)
     * @param listeners the event listener for each new session
     * @param onSession called with each session once {@code connect} has been answered
     */
    public static EslOutboundServer start(InetSocketAddress address, EslClientConfig limits,
                                          Function<OutboundSession, EslListener> listeners, Consumer<OutboundSession> onSession) {
        return new EslOutboundServer(Objects.requireNonNull(address, "address"), limits, listeners, onSession);
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return listening.address();
    }

    /** Stops listening and closes every session's connection. */
    @Override
    public void close() {
        listening.close();
    }
}
