package org.switchboard.media.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What codes Opus frames: libopus, native, through JNA (the system's {@code libopus.so.0} where it has one, else the
 * build for this platform in {@code opus-java-natives}), or Concentus, a pure-Java port of libopus 1.1 for a platform
 * where neither loads. Both code mono 20 ms frames with the same settings (VoIP, 24 kbit/s, in-band FEC tuned for 10 %
 * loss, complexity 5). The system property {@code switchboard.opus} picks one: {@code auto} (the default: the first
 * that loads, in that order), {@code libopus} (native or nothing) or {@code concentus}.
 */
interface OpusCoder {

    int BIT_RATE = 24000;
    int COMPLEXITY = 5;
    int PACKET_LOSS_PERCENT = 10;

    /** A new encoder of 20 ms mono frames at {@code rate}. */
    Codec.Encoder encoder(int rate);

    /** A new decoder to mono at {@code rate}, which takes packets of up to 120 ms. */
    Codec.Decoder decoder(int rate);

    /** Which implementation and version, for the start-up line. */
    String description();

    /** The coder the property names, chosen once per process. */
    static OpusCoder selected() {
        return Selection.CODER;
    }

    /** The native libopus builds that load here, the system's first. */
    static List<OpusCoder> nativeCoders() {
        List<OpusCoder> found = new ArrayList<>();
        LibOpus.system().ifPresent(found::add);
        LibOpus.bundled().ifPresent(found::add);
        return found;
    }

    /** Chooses once, on first use; a native library that fails to load is said at DEBUG and passed over. */
    final class Selection {
        private static final Logger LOG = LoggerFactory.getLogger(OpusCoder.class);
        static final OpusCoder CODER = choose(System.getProperty("switchboard.opus", "auto"));

        private Selection() {
        }

        static OpusCoder choose(String choice) {
            switch (choice.strip().toLowerCase(Locale.ROOT)) {
                case "concentus":
                    return ConcentusOpus.INSTANCE;
                case "libopus":
                    return firstNative().orElseThrow(() -> new IllegalStateException(
                            "switchboard.opus=libopus, but no libopus loads on " + System.getProperty("os.name") + " "
                                    + System.getProperty("os.arch")));
                case "auto":
                    Optional<OpusCoder> first = firstNative();
                    if (first.isEmpty()) {
                        LOG.debug("MS-OPUS-001 no native libopus loads here: Opus through Concentus");
                    }
                    return first.orElse(ConcentusOpus.INSTANCE);
                default:
                    throw new IllegalArgumentException(
                            "switchboard.opus=" + choice + ": expected auto, libopus or concentus");
            }
        }

        /** The system's libopus, else the bundled one (extracted only when the system has none). */
        private static Optional<OpusCoder> firstNative() {
            return LibOpus.system().or(LibOpus::bundled);
        }
    }
}
