package org.switchboard.media.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The codecs this server can negotiate, by SDP name. */
public final class Codecs {

    /** FreeSWITCH's vanilla {@code global_codec_prefs}. */
    public static final List<String> DEFAULT_PREFERENCES = List.of("OPUS", "G722", "PCMU", "PCMA");

    private static final Codec G722_CODEC = new G722Codec();
    private static final Codec OPUS_CODEC = new OpusCodec(48000, OpusCoder.selected());
    private static final Codec OPUS_16K = new OpusCodec(16000, OpusCoder.selected());
    private static final Codec OPUS_8K = new OpusCodec(8000, OpusCoder.selected());

    private Codecs() {
    }

    /** What codes Opus in this process: native libopus and its version, or Concentus. */
    public static String opusImplementation() {
        return OpusCoder.selected().description();
    }

    /** The codec of an encoding name (case-insensitive), if this server has it. */
    public static Optional<Codec> byName(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "PCMU" -> Optional.of(G711.PCMU);
            case "PCMA" -> Optional.of(G711.PCMA);
            case "G722" -> Optional.of(G722_CODEC);
            case "OPUS" -> Optional.of(OPUS_CODEC);
            default -> Optional.empty();
        };
    }

    /**
     * Opus at the rate a peer's {@code maxplaybackrate} allows: 8 kHz up to 8000, 16 kHz up to 16000 (12000 too:
     * there is no 12 kHz channel, and Opus encodes for the peer's limit whatever rate it is fed), else 48 kHz.
     */
    public static Codec opus(int maxPlaybackRate) {
        return maxPlaybackRate <= 8000 ? OPUS_8K : maxPlaybackRate <= 16000 ? OPUS_16K : OPUS_CODEC;
    }

    /**
     * The codecs of a preference list such as {@code OPUS,G722,PCMU,PCMA} (FreeSWITCH's codec string; a
     * {@code @rate} or {@code @ptime} suffix is ignored).
     *
     * @throws IllegalArgumentException for a name this server has no codec for, or an empty list
     */
    public static List<Codec> parse(String preferences) {
        List<Codec> codecs = new ArrayList<>();
        for (String raw : preferences.split(",")) {
            String name = raw.strip().split("@")[0];
            if (!name.isEmpty()) {
                Codec codec = byName(name).orElseThrow(() -> new IllegalArgumentException(
                        "no codec " + name + " (known: OPUS, G722, PCMU, PCMA)"));
                if (!codecs.contains(codec)) {
                    codecs.add(codec);
                }
            }
        }
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("the codec list '" + preferences + "' names no codec");
        }
        return List.copyOf(codecs);
    }
}
