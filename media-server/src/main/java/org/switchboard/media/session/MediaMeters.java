package org.switchboard.media.session;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.switchboard.metrics.Meters;

/**
 * The media meters of one server (docs/operations.md): RTP packets sent, received and lost over every session, and
 * the media clock's send-interval error (how far each stream's interval between two packets was from 20 ms). Every
 * session adds to them beside its own {@link RtpSession.Stats}; the clock carries them, as every session runs on it.
 *
 * <p>Nothing here calls Micrometer per packet but the send-interval timer: the packet counts are adders the registry
 * reads when scraped (a Micrometer counter in a composite registry allocated an iterator on every increment, the
 * clock's largest garbage at 2,500 channels), and with no registry behind ({@link Meters#none()}) the timer is not
 * recorded at all.
 */
public final class MediaMeters {

    private static final Duration[] SEND_INTERVAL_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20),
            Duration.ofMillis(50), Duration.ofMillis(100)};

    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder lost = new LongAdder();
    // null: no registry would keep what it recorded
    private final Timer sendIntervalError;

    private MediaMeters(MeterRegistry registry) {
        FunctionCounter.builder("media.rtp.packets.sent", sent, LongAdder::sum)
                .description("RTP packets sent, every session").register(registry);
        FunctionCounter.builder("media.rtp.packets.received", received, LongAdder::sum)
                .description("RTP packets received and well-formed, every session").register(registry);
        FunctionCounter.builder("media.rtp.packets.lost", lost, LongAdder::sum)
                .description("RTP packets the jitter buffers skipped over (never arrived, or too late)").register(registry);
        sendIntervalError = registry instanceof CompositeMeterRegistry composite && composite.getRegistries().isEmpty()
                ? null : Timer.builder("media.clock.send.interval.error").serviceLevelObjectives(SEND_INTERVAL_BUCKETS)
                .description("|interval between two packets of a stream - 20 ms|, every stream the clock sends")
                .register(registry);
    }

    /** Meters in {@code registry}. */
    public static MediaMeters create(MeterRegistry registry) {
        return new MediaMeters(registry);
    }

    /** Meters that keep nothing. */
    public static MediaMeters none() {
        return new MediaMeters(Meters.none());
    }

    void sendInterval(long errorNanos) {
        if (sendIntervalError != null) {
            sendIntervalError.record(errorNanos, TimeUnit.NANOSECONDS);
        }
    }
}
