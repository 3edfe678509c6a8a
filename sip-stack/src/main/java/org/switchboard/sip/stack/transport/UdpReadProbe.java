package org.switchboard.sip.stack.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.executors.LoadShedder;

/**
 * How long a datagram waits before the SIP transport reads it: in the kernel's receive buffer, then on the event
 * loop. Nothing in the process sees that queue, and with a large buffer it can hold seconds of requests while
 * everything the process measures looks on time. So the probe sends small datagrams of its own, from a socket of
 * its own on loopback, to the UDP listen points, through the same queue as every request; the UDP pipelines take
 * them out before the SIP decoder ({@link #filter()}) and note their arrival. The age of the oldest probe not
 * yet read is the read backlog's wait; a probe the kernel dropped (a full buffer) stays unread until a later one
 * arrives, so a full buffer reads as a long wait, and then as a loss ({@link #lost()}).
 *
 * <p>{@link #oldestSince()} sends the next probe each time it is asked, so probes go out at the pace the caller
 * (a load shedder) looks. Threads: asked from one thread at a time; the filter runs on the UDP event loops; the
 * outstanding probes are guarded by this object.
 */
public final class UdpReadProbe implements LoadShedder.Backlog, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpReadProbe.class);
    // enough to cover a few seconds of looking every 50 ms; more outstanding means a wait long past any threshold
    private static final int MAX_OUTSTANDING = 128;

    private final Supplier<List<InetSocketAddress>> targets;
    private final ArrayDeque<long[]> outstanding = new ArrayDeque<>(); // {sequence, sent at}; guarded by this
    private final ChannelHandler filter = new Filter();
    private volatile InetSocketAddress from;
    private DatagramChannel socket; // guarded by this
    private long sequence; // guarded by this
    private long lost; // guarded by this
    private boolean failed; // guarded by this

    UdpReadProbe(Supplier<List<InetSocketAddress>> targets) {
        this.targets = targets;
    }

    /** The handler the UDP pipelines put before the SIP decoder. */
    ChannelHandler filter() {
        return filter;
    }

    /**
     * Sends the next probe, then returns since when ({@code System.nanoTime}) the oldest probe not yet read waits,
     * {@code Long.MAX_VALUE} when every probe was read (or there is no UDP listen point).
     */
    @Override
    public synchronized long oldestSince() {
        send();
        return outstanding.isEmpty() ? Long.MAX_VALUE : outstanding.peekFirst()[1];
    }

    private void send() {
        if (failed || outstanding.size() >= MAX_OUTSTANDING) {
            return;
        }
        try {
            for (InetSocketAddress target : targets.get()) {
                InetSocketAddress to = reachable(target);
                if (socket == null) {
                    socket = DatagramChannel.open(to.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                            : StandardProtocolFamily.INET);
                    socket.bind(new InetSocketAddress(to.getAddress(), 0));
                    socket.configureBlocking(false);
                    from = (InetSocketAddress) socket.getLocalAddress();
                }
                long n = ++sequence;
                if (socket.send(ByteBuffer.allocate(Long.BYTES).putLong(0, n), to) > 0) {
                    outstanding.addLast(new long[] {n, System.nanoTime()});
                }
                return; // one listen point stands for the others: they share the event loops and the machine
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            LOG.warn("SIP-002 the UDP read probe cannot send ({}): the read backlog is not measured", e.toString());
        }
    }

    // a wildcard listen point is probed on loopback (a wildcard IPv6 socket takes IPv4 too)
    private static InetSocketAddress reachable(InetSocketAddress target) {
        InetAddress a = target.getAddress();
        return a == null || a.isAnyLocalAddress() ? new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getPort()) : target;
    }

    /**
     * How many probes the kernel dropped for a full receive buffer: known once a later one is read (loopback keeps
     * their order), so a buffer that stays full is seen as a long wait first.
     */
    @Override
    public synchronized long lost() {
        return lost;
    }

    private synchronized void read(long n) {
        while (!outstanding.isEmpty() && outstanding.peekFirst()[0] <= n) {
            if (outstanding.removeFirst()[0] < n) {
                lost++; // sent before the one read, and never read
            }
        }
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing the UDP read probe", e);
            }
        }
    }

    @ChannelHandler.Sharable
    private final class Filter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            InetSocketAddress probe = from;
            if (probe != null && msg instanceof DatagramPacket p && probe.equals(p.sender()) && p.content().readableBytes() == Long.BYTES) {
                long n = p.content().getLong(p.content().readerIndex());
                p.release();
                read(n);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
