package org.switchboard.media.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Records 16-bit PCM to a WAV file as frames arrive, and writes the sizes into the header when closed. Writes are
 * buffered (64 KiB), so a channel's media thread rarely waits on the disk. Not thread-safe.
 */
public final class WavRecorder implements AutoCloseable {

    private static final int HEADER = 44;

    private final Path file;
    private final int sampleRate;
    private final int channels;
    private final OutputStream out;
    private final byte[] scratch = new byte[2 * 960];
    private long samples;
    private boolean closed;

    private WavRecorder(Path file, int sampleRate, int channels) throws IOException {
        this.file = file;
        this.sampleRate = sampleRate;
        this.channels = channels;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        out.write(header(0));
    }

    /** Starts a recording (the file is created or replaced). */
    public static WavRecorder create(Path file, int sampleRate, int channels) throws IOException {
        return new WavRecorder(file, sampleRate, channels);
    }

    /** Appends {@code length} interleaved samples. */
    public void write(short[] frame, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("recording " + file + " is closed");
        }
        int at = 0;
        while (at < length) {
            int n = Math.min(length - at, scratch.length / 2);
            for (int i = 0; i < n; i++) {
                short s = frame[offset + at + i];
                scratch[2 * i] = (byte) s;
                scratch[2 * i + 1] = (byte) (s >> 8);
            }
            out.write(scratch, 0, 2 * n);
            at += n;
        }
        samples += length;
    }

    /** Samples written so far (all channels). */
    public long samples() {
        return samples;
    }

    /** Milliseconds recorded so far. */
    public long millis() {
        return samples / channels * 1000 / sampleRate;
    }

    private byte[] header(long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0x46464952).putInt((int) (36 + dataBytes)).putInt(0x45564157)
                .putInt(0x20746D66).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt(sampleRate).putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
                .putInt(0x61746164).putInt((int) dataBytes);
        return h.array();
    }

    /** Flushes and writes the final sizes into the header. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        out.close();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(header(samples * 2));
        }
    }
}
