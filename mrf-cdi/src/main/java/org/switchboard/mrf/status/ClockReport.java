package org.switchboard.mrf.status;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a Switchboard media server answers to {@value #COMMAND}: how many tasks its media clock runs, and the
 * send-interval errors of every stream since it started, counted per 100 µs ({@code |interval - 20 ms|}; the last
 * bucket holds 100 ms and more). Counts only grow, so the lateness over a span is the difference of the reports at
 * its two ends ({@link #since}).
 */
public final class ClockReport {

    /** The api command that reports the clock; FreeSWITCH does not know it. */
    public static final String COMMAND = "switchboard_media_clock";
    /** The buckets of the histogram: 100 µs each, the last one 100 ms and more. */
    public static final int BUCKETS = 1001;

    private static final String TASKS = "tasks";
    private static final String HISTOGRAM = "send_interval_error_100us";

    private final int tasks;
    private final long[] counts;

    private ClockReport(int tasks, long[] counts) {
        this.tasks = tasks;
        this.counts = counts;
    }

    /**
     * Reads a report: {@code tasks <n>} and {@code send_interval_error_100us <bucket>:<count> ...} (the buckets not
     * named count 0).
     *
     * @throws IllegalArgumentException when {@code text} is not such a report
     */
    public static ClockReport parse(String text) {
        int tasks = -1;
        long[] counts = null;
        for (String line : text.strip().split("\n")) {
            String[] words = line.strip().split(" +");
            if (words[0].equals(TASKS) && words.length == 2) {
                tasks = number(words[1], text);
            } else if (words[0].equals(HISTOGRAM)) {
                counts = new long[BUCKETS];
                for (int i = 1; i < words.length; i++) {
                    int colon = words[i].indexOf(':');
                    int bucket = colon > 0 ? number(words[i].substring(0, colon), text) : -1;
                    if (bucket >= BUCKETS || bucket < 0) {
                        throw new IllegalArgumentException("not a bucket of the media clock's histogram: " + words[i]);
                    }
                    counts[bucket] = Long.parseLong(words[i].substring(colon + 1));
                }
            }
        }
        if (tasks < 0 || counts == null) {
            throw new IllegalArgumentException("not a media clock report (" + COMMAND + "): " + text.strip());
        }
        return new ClockReport(tasks, counts);
    }

    private static int number(String word, String text) {
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in the media clock report: " + word + " in " + text.strip(), e);
        }
    }

    /** The tasks the clock runs each 20 ms (channels sending, conferences mixing). */
    public int tasks() {
        return tasks;
    }

    /** The packets whose send-interval error fell in {@code bucket} (100 µs wide) since the server started. */
    public long count(int bucket) {
        return counts[bucket];
    }

    /**
     * The lateness over the span from {@code earlier} to this report; empty when no packet was sent in it. When a
     * count went down the server restarted in between, and the span is taken from its start.
     */
    public Optional<Lateness> since(ClockReport earlier) {
        long[] window = new long[BUCKETS];
        boolean restarted = false;
        for (int i = 0; i < BUCKETS && !restarted; i++) {
            window[i] = counts[i] - earlier.counts[i];
            restarted = window[i] < 0;
        }
        return lateness(restarted ? counts : window);
    }

    /** The lateness over every packet since the server started; empty when none was sent. */
    public Optional<Lateness> sinceStart() {
        return lateness(counts);
    }

    private static Optional<Lateness> lateness(long[] window) {
        long total = Arrays.stream(window).sum();
        if (total == 0) {
            return Optional.empty();
        }
        int max = BUCKETS - 1;
        while (window[max] == 0) {
            max--;
        }
        return Optional.of(new Lateness(total, millis(quantile(window, total, 0.5)), millis(quantile(window, total, 0.99)),
                millis(max)));
    }

    /** The first bucket at which at least {@code q} of the packets are counted. */
    private static int quantile(long[] window, long total, double q) {
        long wanted = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += window[i];
            if (seen >= wanted) {
                return i;
            }
        }
        return BUCKETS - 1;
    }

    /** A bucket's upper edge (the last one's lower edge: 100 ms or more). */
    private static double millis(int bucket) {
        return bucket == BUCKETS - 1 ? 100.0 : (bucket + 1) / 10.0;
    }

    @Override
    public String toString() {
        return "ClockReport[tasks " + tasks + ", " + Arrays.stream(counts).sum() + " packets]";
    }
}
