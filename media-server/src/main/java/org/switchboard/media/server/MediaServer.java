package org.switchboard.media.server;

import java.net.InetSocketAddress;
import org.switchboard.lifecycle.Graceful;

/**
 * The embedded FreeSWITCH-compatible media server: SIP for the MRF's calls, RTP media, and the event socket
 * (inbound listener, outbound connection per call) that drachtio-fsmrf and the Java MRF drive.
 */
public interface MediaServer extends Graceful {

    /**
     * Starts a media server. Blocks while binding its sockets.
     *
     * @throws IllegalStateException when an address cannot be bound
     */
    static MediaServer start(MediaServerConfig config) {
        return EmbeddedMediaServer.start(config);
    }

    /**
     * Where SIP listens (the address {@code sofia status} advertises): UDP, or with {@link SipTls#tlsOnly()} the TLS
     * listener, the profile's only one.
     */
    InetSocketAddress sipAddress();

    /** Where SIP over TLS listens, when the profile has a TLS listener ({@link MediaServerConfig#sipTls()}). */
    java.util.Optional<InetSocketAddress> sipTlsAddress();

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
     * {@link #shutdown()} bounded by {@code grace}, then {@link #close()}: stops taking calls (new INVITEs get 503),
     * waits for the calls up to end or for {@code grace} to pass, hangs up what is left and closes.
     */
    java.util.concurrent.CompletableFuture<Void> shutdownGracefully(java.time.Duration grace);

    /** Stops taking calls: new INVITEs get 503; completes when no channel is up. */
    @Override
    java.util.concurrent.CompletableFuture<Void> shutdown();

    /** Hangs up every channel and closes every socket. */
    @Override
    void close();
}
