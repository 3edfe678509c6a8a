package org.switchboard.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.switchboard.media.codec.G711;

/**
 * WAV files: reads RIFF/WAVE with 8- or 16-bit PCM, μ-law or A-law (also inside WAVE_FORMAT_EXTENSIBLE), any rate
 * and channel count; writes 16-bit PCM. A malformed file is an {@link IOException} saying what is wrong.
 */
public final class Wav {

    private static final int PCM = 1;
    private static final int ALAW = 6;
    private static final int ULAW = 7;
    private static final int EXTENSIBLE = 0xFFFE;

    private Wav() {
    }

    /** Reads a file. */
    public static Audio read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /** Reads the bytes of a WAV file; {@code name} appears in error messages. */
    public static Audio read(byte[] bytes, String name) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || in.getInt(0) != 0x46464952 || in.getInt(8) != 0x45564157) {
            throw new IOException(name + " is not a RIFF/WAVE file");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int at = 12;
        while (at + 8 <= bytes.length) {
            int id = in.getInt(at);
            long size = Integer.toUnsignedLong(in.getInt(at + 4));
            int body = at + 8;
            if (body + size > bytes.length) {
                size = bytes.length - body; // a truncated last chunk (often data): read what is there
            }
            if (id == 0x20746D66) { // "fmt "
                if (size < 16) {
                    throw new IOException(name + ": fmt chunk of " + size + " bytes");
                }
                format = in.getShort(body) & 0xFFFF;
                channels = in.getShort(body + 2) & 0xFFFF;
                rate = in.getInt(body + 4);
                bits = in.getShort(body + 14) & 0xFFFF;
                if (format == EXTENSIBLE && size >= 26) {
                    format = in.getShort(body + 24) & 0xFFFF; // the sub-format GUID starts with the format code
                }
            } else if (id == 0x61746164) { // "data"
                if (format < 0) {
                    throw new IOException(name + ": data before fmt");
                }
                return Audio.wrap(rate, channels, decode(in, body, (int) size, format, bits, name));
            }
            at = body + (int) ((size + 1) & ~1L);
        }
        throw new IOException(name + " has no data chunk");
    }

    private static short[] decode(ByteBuffer in, int from, int size, int format, int bits, String name) throws IOException {
        if (format == PCM && bits == 16) {
            short[] out = new short[size / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = in.getShort(from + 2 * i);
            }
            return out;
        }
        if (format == PCM && bits == 8) {
            short[] out = new short[size];
            for (int i = 0; i < size; i++) {
                out[i] = (short) (((in.get(from + i) & 0xFF) - 128) << 8);
            }
            return out;
        }
        if ((format == ALAW || format == ULAW) && bits == 8) {
            G711 law = format == ALAW ? G711.PCMA : G711.PCMU;
            short[] out = new short[size];
            for (int i = 0; i < size; i++) {
                out[i] = law.decode(in.get(from + i));
            }
            return out;
        }
        throw new IOException(name + ": format " + format + " with " + bits + " bits is not supported"
                + " (8/16-bit PCM, A-law and μ-law are)");
    }

    /** Writes 16-bit PCM. */
    public static void write(Path file, Audio audio) throws IOException {
        Files.write(file, toBytes(audio));
    }

    /** The bytes of a 16-bit PCM WAV file. */
    public static byte[] toBytes(Audio audio) {
        short[] samples = audio.samples();
        int dataBytes = samples.length * 2;
        ByteBuffer out = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46464952).putInt(36 + dataBytes).putInt(0x45564157)
                .putInt(0x20746D66).putInt(16).putShort((short) PCM).putShort((short) audio.channels())
                .putInt(audio.sampleRate()).putInt(audio.sampleRate() * audio.channels() * 2)
                .putShort((short) (audio.channels() * 2)).putShort((short) 16)
                .putInt(0x61746164).putInt(dataBytes);
        for (short s : samples) {
            out.putShort(s);
        }
        return out.array();
    }
}
