package org.switchboard.drachtio.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.connection.TcpListener;
import org.switchboard.drachtio.wire.DrachtioFrameDecoder;
import org.switchboard.drachtio.wire.DrachtioFrameEncoder;

/**
 * Listen (outbound) mode: the drachtio server connects to the app, one connection per call it routes here
 *. On each connection the app authenticates, then the server delivers the call's request; the
 * connection is handed out as a {@link DrachtioClient} once the secret was accepted. It does not reconnect:
 * closing it ends the session with the server for that call.
 */
public final class DrachtioListenServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DrachtioListenServer.class);

    private final TcpListener listening;

    private DrachtioListenServer(InetSocketAddress address, DrachtioClientConfig config, Supplier<DrachtioListener> listeners,
                                 Consumer<DrachtioClient> onConnection) {
        try {
            listening = TcpListener.bind(address, ch -> {
                CompletableFuture<DrachtioClient> authenticated = new CompletableFuture<>();
                DrachtioClient client = DrachtioClient.accepted(config, listeners.get(), authenticated);
                ch.pipeline().addLast(new DrachtioFrameDecoder(), new DrachtioFrameEncoder(config.peerFrameLimit()),
                        client.handler());
                authenticated.whenComplete((c, e) -> {
                    if (e == null) {
                        onConnection.accept(c);
                    } else {
                        LOG.warn("DRC-300 drachtio server connection from {} failed to authenticate: {}", ch.remoteAddress(), e.getMessage());
                        client.close();
                    }
                });
            });
        } catch (IOException e) {
            throw new DrachtioException.ConnectionClosed("cannot listen on " + address + ": " + e.getMessage());
        }
    }

    /**
     * Starts listening; blocks until bound.
     *
     * @param address where the server connects (its request handler's {@code route} action names it)
     * @param config the secret and tags to present, deadlines, the peer's frame limit (host and port are not used)
     * @param listeners a listener for each new connection's frames
     * @param onConnection called, off the I/O threads, with each connection once authenticated
     */
    public static DrachtioListenServer listen(InetSocketAddress address, DrachtioClientConfig config,
                                              Supplier<DrachtioListener> listeners, Consumer<DrachtioClient> onConnection) {
        return new DrachtioListenServer(address, config, listeners, onConnection);
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return listening.address();
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        listening.close();
    }
}
