package org.switchboard.media.conference;

import java.util.Set;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.FrameResampler;
import org.switchboard.media.core.Channel;
import org.switchboard.media.source.AudioSource;

/**
 * One channel in a conference. Its flags change on api threads; its frames on the clock thread (the conference's
 * lock guards both).
 */
final class Member {

    final int id;
    final Channel channel;
    final boolean moderator;
    final boolean endconf;
    final long joinedMillis = System.currentTimeMillis();
    volatile boolean muted;
    volatile boolean deaf;
    volatile boolean left;
    volatile String leaveReason;
    volatile String transferTo;
    // mod_conference's levels -4..4: what the member says (in) and hears (out)
    volatile int volumeIn;
    volatile int volumeOut;
    // clock thread, under the conference's lock: the latest frame heard from the member and what it is to hear next,
    // both at the conference's rate, and the converter of what it says from its channel's rate
    short[] in = new short[0];
    short[] out = new short[0];
    private FrameResampler toMix = new FrameResampler(Audio.TELEPHONY_RATE);
    boolean fresh;
    AutoCloseable tap;
    AudioSource play;
    String playFile;
    // talking detection (written on the clock thread, read by the api)
    volatile boolean talking;
    volatile long lastTalkingMillis;
    int loudFrames;
    int quietFrames;

    Member(int id, Channel channel, Set<String> flags) {
        this.id = id;
        this.channel = channel;
        this.moderator = flags.contains("moderator");
        this.endconf = flags.contains("endconf") || flags.contains("mandatory_member_endconf");
        this.muted = flags.contains("mute");
        this.deaf = flags.contains("deaf");
    }

    /** Sizes the frames for a conference's rate (on joining one). */
    void rate(int mixRate) {
        in = new short[Audio.frameLength(mixRate)];
        out = new short[in.length];
        toMix = new FrameResampler(mixRate);
    }

    /** Takes a frame heard at the channel's rate as the next frame at the mix's rate. */
    void hear(short[] frame) {
        short[] mixed = toMix.convert(frame);
        System.arraycopy(mixed, 0, in, 0, Math.min(mixed.length, in.length));
        fresh = true;
    }

    /** The factor of a volume level (-4..4), as FreeSWITCH's switch_change_sln_volume scales it. */
    static double gain(int level) {
        return switch (level) {
            case 1 -> 1.3;
            case 2 -> 2.3;
            case 3 -> 3.3;
            case 4 -> 4.3;
            case -1 -> 0.8;
            case -2 -> 0.6;
            case -3 -> 0.4;
            case -4 -> 0.2;
            default -> 1.0;
        };
    }

    String type() {
        return moderator ? "moderator" : "member";
    }
}
