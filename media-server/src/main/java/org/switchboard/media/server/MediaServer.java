package org.switchboard.media.server;

import java.net.InetSocketAddress;

/**
 * The embedded FreeSWITCH-compatible media server: SIP for the MRF's calls, RTP media, and the event socket
 * (inbound listener, outbound connection per call) that drachtio-fsmrf and the Java MRF drive.
 */
public interface MediaServer extends AutoCloseable {

    /**
     * Starts a media server. Blocks while binding its sockets.
     *
     * @throws IllegalStateException when an address cannot be bound
     */
    static MediaServer start(MediaServerConfig config) {
        return EmbeddedMediaServer.start(config);
    }

    /** Where SIP listens (the address {@code sofia status} advertises). */
    InetSocketAddress sipAddress();

    /** Where the inbound event socket listens. */
    InetSocketAddress eslAddress();

    /** Channels now up. */
    int channelCount();

    /**
     * The RTP send-interval errors of every channel since the server started: counts of |interval between two
     * packets of a stream - 20 ms| per 100 µs (index 1000: 100 ms or more).
     */
    long[] sendIntervalErrorHistogram();

    /**
     * Stops taking calls (new INVITEs get 503) and completes when the calls up have ended, or when {@code grace} has
     * passed; then it closes as {@link #close} does (calls still up are hung up).
     */
    java.util.concurrent.CompletableFuture<Void> shutdownGracefully(java.time.Duration grace);

    /** Hangs up every channel and closes every socket. */
    @Override
    void close();
}
