package org.switchboard.executors;

import java.util.concurrent.atomic.LongAdder;

/** What a {@link LoadShedder} did since it started: counts only grow. */
public final class ShedCounters {

    final LongAdder admitted = new LongAdder();
    final LongAdder shed = new LongAdder();
    final LongAdder episodes = new LongAdder();

    ShedCounters() {
    }

    /** New calls taken. */
    public long admitted() {
        return admitted.sum();
    }

    /** New calls refused (answered 503 with Retry-After). */
    public long shed() {
        return shed.sum();
    }

    /** How many times shedding started after a time of full admission. */
    public long episodes() {
        return episodes.sum();
    }

    @Override
    public String toString() {
        return admitted() + " admitted, " + shed() + " shed, " + episodes() + " overload episodes";
    }
}
