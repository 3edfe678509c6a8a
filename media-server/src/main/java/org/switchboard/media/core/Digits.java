package org.switchboard.media.core;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.switchboard.esl.event.EslEvent;

/**
 * The DTMF a channel received: the bounded queue its applications read, and where its DTMF events go (everyone, or
 * the one controller that diverted them). Digits arrive on the media clock thread and are read on the channel thread;
 * the queue and the diversion are safe for both.
 */
final class Digits {

    /** Digits nobody reads are kept up to this many (a peer flooding events cannot grow the queue without end). */
    private static final int MAX_QUEUED = 128;

    private final Channel channel;
    private final BlockingQueue<Character> queue = new LinkedBlockingQueue<>();
    // divert_events on: the channel's DTMF goes to this controller only
    private volatile EventListener diverted;

    Digits(Channel channel) {
        this.channel = channel;
    }

    /** See {@link Channel#dtmf}. */
    void received(char digit, String source, int durationSamples) {
        if (queue.size() < MAX_QUEUED) {
            queue.add(digit);
        }
        channel.set("last_dtmf_duration", Integer.toString(durationSamples));
        channel.wake();
        EventListener to = diverted;
        Core core = channel.core();
        if (to == null && !core.listening()) {
            return;
        }
        EslEvent event = channel.channelData(core.event("DTMF", "switch_channel.c", "switch_channel_queue_dtmf", 699), false)
                .header("DTMF-Digit", String.valueOf(digit))
                .header("DTMF-Duration", Integer.toString(durationSamples))
                .header("DTMF-Source", source)
                .build();
        if (to != null) {
            to.onEvent(event);
        } else {
            core.fire(event);
        }
    }

    void divert(EventListener listener) {
        diverted = listener;
    }

    void undivert(EventListener listener) {
        if (diverted == listener) {
            diverted = null;
        }
    }

    Optional<Character> poll() {
        return Optional.ofNullable(queue.poll());
    }

    void flush() {
        queue.clear();
    }
}
