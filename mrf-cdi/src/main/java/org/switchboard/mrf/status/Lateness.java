package org.switchboard.mrf.status;

/**
 * How late a media server's media clock sent packets over a span of time: how far each stream's interval between
 * two packets was from its 20 ms, as quantiles over every packet sent in the span. Values are the upper edges of
 * the switch's 100 µs buckets (so 0.1 ms means below 0.1 ms); 100 ms stands for 100 ms or more.
 *
 * @param packets the packets sent in the span
 * @param p50Millis half the packets were at most this late, in milliseconds
 * @param p99Millis 99 % of the packets were at most this late
 * @param maxMillis the latest packet
 */
public record Lateness(long packets, double p50Millis, double p99Millis, double maxMillis) {

    /** Checks the figures are in order. */
    public Lateness {
        if (packets <= 0 || p50Millis < 0 || p99Millis < p50Millis || maxMillis < p99Millis) {
            throw new IllegalArgumentException("lateness of " + packets + " packets: p50 " + p50Millis + " ms, p99 "
                    + p99Millis + " ms, max " + maxMillis + " ms");
        }
    }
}
