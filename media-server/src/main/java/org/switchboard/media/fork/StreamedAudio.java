package org.switchboard.media.fork;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.switchboard.media.source.AudioSource;

/**
 * The audio a fork's server streams back in binary frames, played to the caller as it arrives: the I/O thread adds
 * samples at the fork's return rate, the clock thread reads them (the channel converts them to its rate); a gap is
 * silence, and the stream never ends (it is the channel's background until the fork closes, so what an application
 * plays goes over it). At most {@link #MAX_SECONDS} wait: beyond that samples are dropped and counted, so a server
 * sending faster than real time cannot grow it without bound.
 */
final class StreamedAudio implements AudioSource {

    /** The most audio waiting, in seconds. */
    static final int MAX_SECONDS = 10;

    private final int rate;
    private final int maxSamples;

    private final ConcurrentLinkedQueue<short[]> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    // clock thread only
    private short[] current;
    private int offset;
    private long position;

    /** A stream at {@code rate}. */
    StreamedAudio(int rate) {
        this.rate = rate;
        this.maxSamples = MAX_SECONDS * rate;
    }

    @Override
    public int rate() {
        return rate;
    }

    /** Adds samples (I/O thread); false when they were dropped because too many wait. */
    boolean add(short[] samples) {
        if (waiting.addAndGet(samples.length) > maxSamples) {
            waiting.addAndGet(-samples.length);
            dropped.addAndGet(samples.length);
            return false;
        }
        chunks.add(samples);
        return true;
    }

    /** Drops what waits (killAudio, stop_play); what the clock already took plays out its 20 ms. */
    void clear() {
        short[] c;
        while ((c = chunks.poll()) != null) {
            waiting.addAndGet(-c.length);
        }
    }

    /** Samples dropped because too many waited. */
    int dropped() {
        return dropped.get();
    }

    @Override
    public int read(short[] buffer, int from, int length) {
        int n = 0;
        while (n < length) {
            if (current == null || offset == current.length) {
                current = chunks.poll();
                offset = 0;
                if (current == null) {
                    break;
                }
                waiting.addAndGet(-current.length);
            }
            int take = Math.min(length - n, current.length - offset);
            System.arraycopy(current, offset, buffer, from + n, take);
            offset += take;
            n += take;
        }
        java.util.Arrays.fill(buffer, from + n, from + length, (short) 0);
        position += length;
        return length;
    }

    @Override
    public long position() {
        return position;
    }
}
