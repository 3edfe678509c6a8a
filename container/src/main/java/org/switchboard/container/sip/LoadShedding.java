package org.switchboard.container.sip;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.client.ReceivedRequest;
import org.switchboard.executors.LoadShedder;

/**
 * The container's part in shedding load ({@link LoadShedder}): its requests waiting for an application's answer
 * (queued on a call's lane, or with the application) are one of the backlogs the shedder watches; the shedder is
 * looked at periodically and what it changes is logged. With an external drachtio server the container refuses
 * the INVITEs the shedder does not admit itself, before dispatch; the embedded server does that before the INVITE
 * crosses the drachtio connection, so then the container only feeds the shedder.
 *
 * <p>Threads: {@link #refused} runs on the drachtio client's call lanes; the evaluation on the core's timer thread.
 */
final class LoadShedding {

    private static final Logger LOG = LoggerFactory.getLogger(LoadShedding.class);

    private final LoadShedder shedder;
    private final boolean answersHere;
    private final ScheduledFuture<?> evaluation;

    LoadShedding(LoadShedder shedder, boolean answersHere, Calls calls, ScheduledExecutorService timer) {
        this.shedder = shedder;
        this.answersHere = answersHere;
        shedder.watch(calls::oldestPendingSince);
        long period = shedder.settings().period().toNanos();
        evaluation = timer.scheduleAtFixedRate(this::evaluate, period, period, TimeUnit.NANOSECONDS);
    }

    private void evaluate() {
        switch (shedder.evaluate()) {
            case STARTED -> LOG.warn("SBC-120 overloaded: {}; refusing part of the new INVITEs with 503 (admitting {} %)",
                    shedder.lossSeen() ? "the SIP receive buffer overflowed"
                            : "the oldest waiting request is " + shedder.oldestWait().toMillis() + " ms old",
                    Math.round(shedder.admittedShare() * 100));
            case OVER -> LOG.info("SBC-121 overload over: taking every new INVITE again ({})", shedder.counters());
            case ADJUSTED -> LOG.debug("admitting {} % of new INVITEs; oldest waiting request {} ms",
                    Math.round(shedder.admittedShare() * 100), shedder.oldestWait().toMillis());
            case NONE -> {
            }
        }
    }

    /** Answers a new INVITE 503 with Retry-After when the container sheds it itself; returns whether it did. */
    boolean refused(ReceivedRequest received) {
        if (!answersHere || !received.request().isMethod("INVITE") || shedder.admit()) {
            return false;
        }
        received.respond(Wire.response(503, Map.of("Retry-After", shedder.retryAfterSeconds()), "")).exceptionally(e -> null);
        return true;
    }

    LoadShedder shedder() {
        return shedder;
    }

    void stop() {
        evaluation.cancel(false);
    }
}
