package org.switchboard.media.session;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;

/**
 * The even UDP ports RTP may use (RTCP takes the odd one above), handed out and taken back. Thread-safe.
 */
public final class PortRange {

    private final int first;
    private final int last;
    private final Deque<Integer> free = new ArrayDeque<>();
    // the ports in free, by port - first: a release looks here instead of scanning thousands of free ports
    private final BitSet isFree = new BitSet();

    /** Ports {@code first..last}; only even ones are used. */
    public PortRange(int first, int last) {
        if (first < 1024 || last > 65534 || first > last) {
            throw new IllegalArgumentException("RTP port range " + first + "-" + last + " is not within 1024-65534");
        }
        this.first = first;
        this.last = last;
        for (int p = first + (first & 1); p + 1 <= last + 1 && p <= 65534; p += 2) {
            free.add(p);
            isFree.set(p - first);
        }
    }

    /** How many sessions ports {@code first..last} hold: one per even port. */
    public static int capacity(int first, int last) {
        int firstEven = first + (first & 1);
        return last < firstEven ? 0 : (last - firstEven) / 2 + 1;
    }

    /** The next free even port, or -1 when all are taken. */
    public synchronized int take() {
        Integer p = free.pollFirst();
        if (p == null) {
            return -1;
        }
        isFree.clear(p - first);
        return p;
    }

    /** Gives a port back (it goes to the end, so a port is not reused at once); a port given back twice counts once. */
    public synchronized void release(int port) {
        if (port >= first && port <= last && (port & 1) == 0 && !isFree.get(port - first)) {
            isFree.set(port - first);
            free.addLast(port);
        }
    }

    /** How many ports are free. */
    public synchronized int available() {
        return free.size();
    }
}
