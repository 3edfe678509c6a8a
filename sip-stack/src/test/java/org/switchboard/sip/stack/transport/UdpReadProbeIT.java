package org.switchboard.sip.stack.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.testing.poll.Poll;

/**
 * The read probe against a real UDP listen point: its datagrams never reach the SIP listener, and while the event
 * loop cannot read (held by a listener that blocks, as a saturated loop would be) the probe's wait grows, then falls
 * back once the loop reads again; the probes the kernel drops for a full buffer are counted lost.
 */
class UdpReadProbeIT {

    private final List<IncomingMessage> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private TransportLayer layer;

    @AfterEach
    void stop() {
        release.countDown();
        if (layer != null) {
            layer.close();
        }
    }

    private long waitMillis() {
        long since = layer.udpReadProbe().oldestSince();
        return since == Long.MAX_VALUE ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** A listener that keeps the event loop on the first request until the test releases it. */
    private TransportListener holdingTheLoopOnTheFirstRequest() {
        return new TransportListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                received.add(message);
                if (received.size() == 1) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void onMalformed(String reason, Transport transport, InetSocketAddress remote,
                                    Optional<IncomingMessage> request) {
                throw new AssertionError("a probe reached the decoder: " + reason);
            }
        };
    }

    @Test
    void measuresHowLongDatagramsWaitToBeRead() throws Exception {
        layer = TransportLayer.start(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).ioThreads(1).build(),
                holdingTheLoopOnTheFirstRequest());
        InetSocketAddress sip = layer.listenPoints().get(0).address();

        Poll.await(Duration.ofSeconds(10), "probes read while the loop is free", () -> waitMillis() < 100);

        try (DatagramSocket caller = new DatagramSocket()) {
            byte[] holding = ("OPTIONS sip:x@localhost SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKhold\r\n"
                    + "Max-Forwards: 70\r\nTo: <sip:x@localhost>\r\nFrom: <sip:y@localhost>;tag=1\r\nCall-ID: hold\r\n"
                    + "CSeq: 1 OPTIONS\r\nSubject: hold the loop\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            caller.send(new DatagramPacket(holding, holding.length, sip));
        }
        Poll.await(Duration.ofSeconds(10), "the loop held", () -> received.size() == 1);
        Poll.await(Duration.ofSeconds(10), "the probe's wait grows while nothing is read", () -> waitMillis() >= 300);

        release.countDown();
        Poll.await(Duration.ofSeconds(10), "the wait falls once the loop reads again", () -> waitMillis() < 100);
        assertThat(received).as("only the SIP request reached the listener").hasSize(1);
    }

    @Test
    void probesTheKernelDroppedForAFullBufferAreCountedLost() throws Exception {
        layer = TransportLayer.start(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", 0).ioThreads(1)
                .udpReceiveBuffer(64 * 1024).build(), holdingTheLoopOnTheFirstRequest());
        InetSocketAddress sip = layer.listenPoints().get(0).address();
        Poll.await(Duration.ofSeconds(10), "probes read while the loop is free", () -> waitMillis() < 100);
        assertThat(layer.udpReadProbe().lost()).isZero();

        try (DatagramSocket caller = new DatagramSocket()) {
            byte[] options = ("OPTIONS sip:x@localhost SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:1;branch=z9hG4bKfill\r\n"
                    + "Max-Forwards: 70\r\nTo: <sip:x@localhost>\r\nFrom: <sip:y@localhost>;tag=1\r\nCall-ID: fill\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            caller.send(new DatagramPacket(options, options.length, sip));
            Poll.await(Duration.ofSeconds(10), "the loop held", () -> received.size() == 1);
            for (int i = 0; i < 2_000; i++) { // far more than 64 KB hold: the buffer is full after them
                caller.send(new DatagramPacket(options, options.length, sip));
            }
        }
        for (int i = 0; i < 3; i++) {
            layer.udpReadProbe().oldestSince(); // sends a probe into the full buffer
        }
        assertThat(layer.udpReadProbe().lost()).as("a drop is known only once a later probe is read").isZero();

        release.countDown();
        Poll.await(Duration.ofSeconds(10), "a probe sent after the drops is read", () -> waitMillis() < 100
                && layer.udpReadProbe().lost() > 0);
        assertThat(layer.udpReadProbe().lost()).as("the three sent into the full buffer, and any sent before it drained")
                .isGreaterThanOrEqualTo(3);
        assertThat(received.size()).as("the kernel dropped requests too").isLessThan(2_001);
    }
}
