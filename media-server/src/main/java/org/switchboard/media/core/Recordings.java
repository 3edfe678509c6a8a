package org.switchboard.media.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.switchboard.media.audio.Audio;

/**
 * A channel's running recordings: started and stopped by applications and api commands, written by the media clock
 * (a copy-on-write list, so the clock never waits for a command), each ended with its RECORD_STOP event.
 */
final class Recordings {

    private final Channel channel;
    private final List<Recording> running = new CopyOnWriteArrayList<>();

    Recordings(Channel channel) {
        this.channel = channel;
    }

    /** Writes one 20 ms frame heard from the peer, with the one sent to it, to every recording (clock thread). */
    void write(short[] heard, short[] sent) {
        if (running.isEmpty()) {
            return;
        }
        int threshold = channel.get("record_silence_threshold_energy").map(Integer::parseInt).orElse(200);
        for (Recording r : running) {
            r.write(heard, sent, threshold);
        }
    }

    /** See {@link Channel#startRecording}. */
    Recording start(Path path, boolean bothLegs, long limitSeconds) throws IOException {
        boolean stereo = channel.get("RECORD_STEREO").filter(v -> v.equalsIgnoreCase("true")).isPresent();
        // FreeSWITCH's record_sample_rate asks for a file rate; else the file is at the channel's
        int rate = channel.get("record_sample_rate").map(v -> {
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }).filter(v -> v >= 8000 && v <= 48000 && v % Audio.FRAMES_PER_SECOND == 0).orElse(channel.rate());
        Recording r = new Recording(path, bothLegs, stereo, rate, limitSeconds, channel::wake);
        running.add(r);
        return r;
    }

    /** Stops a recording and fires RECORD_STOP with its figures as channel variables; nothing if it had stopped. */
    void stop(Recording r) {
        if (!running.remove(r)) {
            return;
        }
        r.stop();
        long samples = r.samples();
        channel.set("record_samples", Long.toString(samples));
        channel.set("record_ms", Long.toString(samples * 1000 / r.rate()));
        channel.set("record_seconds", Long.toString(samples / r.rate()));
        channel.core().fire(channel.channelEvent("RECORD_STOP", "switch_ivr_async.c", "record_callback", true)
                .header("Record-File-Path", r.path().toString()).build());
    }

    /**
     * Stops the recordings that reached their time limit (a recording wakes the channel thread when it does, and
     * writes no more), so that a limited {@code record_session} or {@code uuid_record} ends with its RECORD_STOP
     * while the channel goes on with other things.
     */
    void stopFull() {
        for (Recording r : running) {
            if (r.full()) {
                stop(r);
            }
        }
    }

    /** Stops them all (the channel hangs up). */
    void stopAll() {
        for (Recording r : running) {
            stop(r);
        }
    }

    /** The recordings running. */
    List<Recording> list() {
        return List.copyOf(running);
    }
}
