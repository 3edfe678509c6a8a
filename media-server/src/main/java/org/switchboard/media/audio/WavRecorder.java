package org.switchboard.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records 16-bit PCM to a WAV file as frames arrive, and writes the sizes into the header when closed. Frames are
 * gathered in 64 KiB chunks that one disk thread, shared by every recording, writes in order: the media clock that
 * records never waits on the disk (a stalled disk would stall every call's audio). Not thread-safe.
 */
public final class WavRecorder implements AutoCloseable {

    private static final int HEADER = 44;
    private static final int CHUNK = 1 << 16;
    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    private static final Executor DISK = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "media-disk");
        t.setDaemon(true);
        return t;
    });

    private final Path path;
    private final int sampleRate;
    private final int channels;
    private final FileChannel file;
    private byte[] chunk = new byte[CHUNK];
    private int used;
    private long samples;
    private boolean closed;
    // the first write the disk thread could not do; every later write and the close report it
    private volatile IOException failure;

    private WavRecorder(Path path, int sampleRate, int channels) throws IOException {
        this.path = path;
        this.sampleRate = sampleRate;
        this.channels = channels;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        System.arraycopy(header(0), 0, chunk, 0, HEADER);
        used = HEADER;
    }

    /** Starts a recording (the file is created or replaced). */
    public static WavRecorder create(Path file, int sampleRate, int channels) throws IOException {
        return new WavRecorder(file, sampleRate, channels);
    }

    /** Appends {@code length} interleaved samples; fails if an earlier chunk could not be written. */
    public void write(short[] frame, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("recording " + path + " is closed");
        }
        IOException failed = failure;
        if (failed != null) {
            throw failed;
        }
        for (int i = 0; i < length; i++) {
            if (used == CHUNK) {
                handOver();
            }
            short s = frame[offset + i];
            chunk[used++] = (byte) s;
            chunk[used++] = (byte) (s >> 8);
        }
        samples += length;
    }

    private void handOver() {
        byte[] full = chunk;
        int n = used;
        chunk = new byte[CHUNK];
        used = 0;
        DISK.execute(() -> {
            if (failure == null) {
                try {
                    writeFully(ByteBuffer.wrap(full, 0, n), -1);
                } catch (IOException e) {
                    failure = e;
                }
            }
        });
    }

    private void writeFully(ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) {
            if (position < 0) {
                file.write(bytes);
            } else {
                position += file.write(bytes, position);
            }
        }
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

    /**
     * Hands what is left, the final sizes for the header and the closing of the file to the disk thread, without
     * waiting (for the media clock); the stage completes once the file is on disk.
     */
    public CompletableFuture<Void> closeInBackground() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.complete(null);
            return done;
        }
        closed = true;
        handOver();
        byte[] finalHeader = header(samples * 2);
        DISK.execute(() -> {
            try (FileChannel f = file) {
                if (failure == null) {
                    writeFully(ByteBuffer.wrap(finalHeader), 0);
                }
            } catch (IOException e) {
                done.completeExceptionally(e);
                return;
            }
            IOException failed = failure;
            if (failed != null) {
                done.completeExceptionally(failed);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Closes as {@link #closeInBackground} and returns once the file is on disk (at most 10 s: a disk that takes
     * longer fails the close rather than hang the caller). Not for the media clock.
     */
    @Override
    public void close() throws IOException {
        try {
            closeInBackground().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("recording " + path + " not written within " + CLOSE_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while closing " + path, e);
        }
    }
}
