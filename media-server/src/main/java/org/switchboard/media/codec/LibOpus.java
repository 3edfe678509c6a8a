package org.switchboard.media.codec;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.File;
import java.lang.ref.Cleaner;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opus through native libopus, called through JNA. Each encoder and decoder owns its libopus state and two native
 * buffers (the PCM and the packet cross into them), freed by {@code close()}, or by a cleaner when a coder is dropped
 * unclosed; its calls and its close are serialized, so a close racing a clock tick never frees state in use.
 */
final class LibOpus implements OpusCoder {

    private static final Logger LOG = LoggerFactory.getLogger(LibOpus.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private static final int OPUS_APPLICATION_VOIP = 2048;
    private static final int OPUS_SET_BITRATE_REQUEST = 4002;
    private static final int OPUS_SET_COMPLEXITY_REQUEST = 4010;
    private static final int OPUS_SET_INBAND_FEC_REQUEST = 4012;
    private static final int OPUS_SET_PACKET_LOSS_PERC_REQUEST = 4014;
    /** Room for any payload an RTP packet brings (a 120 ms Opus packet is at most 6 × 1275 bytes). */
    private static final int MAX_PACKET_BYTES = 8192;

    /** The few libopus calls used, as its header declares them. */
    interface Api extends Library {
        Pointer opus_encoder_create(int rate, int channels, int application, IntByReference error);

        int opus_encoder_ctl(Pointer state, int request, Object... arguments);

        int opus_encode(Pointer state, Pointer pcm, int frameSize, Pointer data, int maxDataBytes);

        void opus_encoder_destroy(Pointer state);

        Pointer opus_decoder_create(int rate, int channels, IntByReference error);

        int opus_decode(Pointer state, Pointer data, int length, Pointer pcm, int frameSize, int decodeFec);

        void opus_decoder_destroy(Pointer state);

        String opus_get_version_string();

        String opus_strerror(int error);
    }

    private final Api api;
    private final String description;

    private LibOpus(Api api, String where) {
        this.api = api;
        this.description = api.opus_get_version_string() + " (" + where + ")";
    }

    /**
     * Symbols kept local to the library (RTLD_LAZY without RTLD_GLOBAL): a build that exports its internals must not
     * have them bound to another libopus loaded first.
     */
    private static final Map<String, Object> OPTIONS = Map.of(Library.OPTION_OPEN_FLAGS, 1);

    /** The system's libopus ({@code libopus.so.0} on Linux), if it has one. */
    static Optional<OpusCoder> system() {
        return load("system", () -> Native.load("opus", Api.class, OPTIONS));
    }

    /** The libopus build {@code opus-java-natives} carries for this platform, if it has one that loads. */
    static Optional<OpusCoder> bundled() {
        return load("opus-java-natives", () -> {
            String folder = Platform.isMac() ? "darwin" : Platform.RESOURCE_PREFIX;
            String file = "libopus." + (Platform.isWindows() ? "dll" : Platform.isMac() ? "dylib" : "so");
            File extracted = Native.extractFromResourcePath("/natives/" + folder + "/" + file,
                    LibOpus.class.getClassLoader());
            return Native.load(extracted.getAbsolutePath(), Api.class, OPTIONS);
        });
    }

    private static Optional<OpusCoder> load(String where, Callable<Api> loading) {
        try {
            return Optional.of(new LibOpus(loading.call(), where));
        } catch (Exception | LinkageError e) {
            LOG.debug("MS-OPUS-002 no {} libopus: {}", where, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public Codec.Encoder encoder(int rate) {
        IntByReference error = new IntByReference();
        Pointer state = api.opus_encoder_create(rate, 1, OPUS_APPLICATION_VOIP, error);
        check(state, error.getValue(), "encoder");
        api.opus_encoder_ctl(state, OPUS_SET_BITRATE_REQUEST, BIT_RATE);
        api.opus_encoder_ctl(state, OPUS_SET_INBAND_FEC_REQUEST, 1);
        api.opus_encoder_ctl(state, OPUS_SET_PACKET_LOSS_PERC_REQUEST, PACKET_LOSS_PERCENT);
        api.opus_encoder_ctl(state, OPUS_SET_COMPLEXITY_REQUEST, COMPLEXITY);
        return new Encoder(new Held(api, state, true, rate / 50));
    }

    @Override
    public Codec.Decoder decoder(int rate) {
        IntByReference error = new IntByReference();
        Pointer state = api.opus_decoder_create(rate, 1, error);
        check(state, error.getValue(), "decoder");
        return new Decoder(new Held(api, state, false, rate / 50));
    }

    private void check(Pointer state, int error, String what) {
        if (state == null || error != 0) {
            throw new IllegalStateException("cannot make an Opus " + what + ": " + api.opus_strerror(error));
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    /** What a coder holds outside the heap; freeing it is the cleaner's action, so it must not reach the coder. */
    private static final class Held implements Runnable {
        final Api api;
        final Pointer state;
        final boolean encoder;
        /** Samples in 20 ms. */
        final int frame;
        /** Up to 120 ms of 16-bit samples. */
        final Memory pcm;
        final Memory packet = new Memory(MAX_PACKET_BYTES);

        Held(Api api, Pointer state, boolean encoder, int frame) {
            this.api = api;
            this.state = state;
            this.encoder = encoder;
            this.frame = frame;
            this.pcm = new Memory(6L * frame * Short.BYTES);
        }

        @Override
        public void run() {
            if (encoder) {
                api.opus_encoder_destroy(state);
            } else {
                api.opus_decoder_destroy(state);
            }
            pcm.close();
            packet.close();
        }
    }

    /** An encoder's or decoder's hold on its native state: calls and close serialized on the coder. */
    private abstract static class Coder {
        final Held held;
        private final Cleaner.Cleanable cleanable;
        /** Guarded by this. */
        boolean closed;

        Coder(Held held) {
            this.held = held;
            this.cleanable = CLEANER.register(this, held);
        }

        public synchronized void close() {
            closed = true;
            cleanable.clean(); // runs the action once, however often it is called
        }
    }

    private static final class Encoder extends Coder implements Codec.Encoder {
        Encoder(Held held) {
            super(held);
        }

        @Override
        public synchronized int encode(short[] pcm, byte[] out) {
            if (closed) {
                return 0;
            }
            held.pcm.write(0, pcm, 0, held.frame);
            int length = held.api.opus_encode(held.state, held.pcm, held.frame, held.packet,
                    Math.min(out.length, MAX_PACKET_BYTES));
            if (length < 0) {
                throw new IllegalStateException("Opus encoding failed: " + held.api.opus_strerror(length));
            }
            held.packet.read(0, out, 0, length);
            return length;
        }
    }

    private static final class Decoder extends Coder implements Codec.Decoder {
        Decoder(Held held) {
            super(held);
        }

        @Override
        public synchronized int decode(byte[] payload, int from, int length, short[] out, int offset) {
            return run(payload, from, length, out, offset, 6 * held.frame, false);
        }

        @Override
        public synchronized int recover(byte[] next, int from, int length, short[] out, int offset) {
            return run(next, from, next == null ? 0 : length, out, offset, held.frame, next != null);
        }

        /** One libopus decode; a packet it cannot read is a lost one (0 samples). */
        private int run(byte[] payload, int from, int length, short[] out, int offset, int room, boolean fec) {
            if (closed || length > MAX_PACKET_BYTES) {
                return 0;
            }
            if (payload != null) {
                held.packet.write(0, payload, from, length);
            }
            int samples = held.api.opus_decode(held.state, payload == null ? null : held.packet, length, held.pcm,
                    Math.min(room, out.length - offset), fec ? 1 : 0);
            if (samples <= 0) {
                return 0;
            }
            held.pcm.read(0, out, offset, samples);
            return samples;
        }
    }
}
