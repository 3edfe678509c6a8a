package org.switchboard.media.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.codec.G711;
import org.switchboard.media.dtmf.Goertzel;

class AudioTest {

    private static Audio sine(int rate, int channels, double freq, int amplitude, int millis) {
        int frames = rate * millis / 1000;
        short[] s = new short[frames * channels];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                s[f * channels + c] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * f / rate));
            }
        }
        return Audio.of(rate, channels, s);
    }

    private static double amplitudeAt(Audio a, double freq) {
        short[] x = a.samples();
        return Goertzel.amplitude(x, 0, x.length, freq, a.sampleRate());
    }

    @Test
    void wavRoundTripsThrough16BitPcm(@TempDir Path dir) throws IOException {
        Audio stereo = sine(16000, 2, 440, 10000, 250);
        Path file = dir.resolve("t.wav");
        Wav.write(file, stereo);
        assertThat(Wav.read(file)).isEqualTo(stereo);
    }

    @Test
    void g711AndEightBitWavFilesAreRead() throws IOException {
        for (G711 law : G711.values()) {
            byte[] codes = new byte[80];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = law.encode((short) (i * 300 - 12000));
            }
            Audio a = Wav.read(wav(law == G711.PCMA ? 6 : 7, 8, codes), law.name());
            assertThat(a.sampleRate()).isEqualTo(8000);
            assertThat(a.sample(10, 0)).isEqualTo(law.decode(codes[10]));
        }
        Audio eight = Wav.read(wav(1, 8, new byte[] {(byte) 128, (byte) 255, 0}), "u8");
        assertThat(eight.samples()).containsExactly((short) 0, (short) (127 << 8), (short) -32768);
        assertThatThrownBy(() -> Wav.read(new byte[] {1, 2, 3}, "junk")).hasMessageContaining("not a RIFF/WAVE");
        assertThatThrownBy(() -> Wav.read(wav(3, 32, new byte[8]), "float")).hasMessageContaining("not supported");
    }

    private static byte[] wav(int format, int bits, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(36 + data.length).putInt(0x45564157).putInt(0x20746D66).putInt(16)
                .putShort((short) format).putShort((short) 1).putInt(8000).putInt(8000 * bits / 8)
                .putShort((short) (bits / 8)).putShort((short) bits).putInt(0x61746164).putInt(data.length).put(data);
        return b.array();
    }

    @Test
    void resamplingKeepsToneAndRemovesWhatAliases() {
        Audio prompt = sine(48000, 2, 1000, 10000, 500);
        Audio phone = prompt.toTelephony();
        assertThat(phone.sampleRate()).isEqualTo(8000);
        assertThat(phone.channels()).isEqualTo(1);
        assertThat(phone.frames()).isEqualTo(4000);
        assertThat(amplitudeAt(phone, 1000)).isBetween(9000.0, 11000.0);
        // 7 kHz cannot exist at 8 kHz: it must be filtered out, not folded to 1 kHz
        Audio high = sine(48000, 1, 7000, 10000, 500).toTelephony();
        assertThat(amplitudeAt(high, 1000)).isLessThan(300.0);
        Audio up = sine(8000, 1, 440, 8000, 200).resample(16000);
        assertThat(up.frames()).isEqualTo(3200);
        assertThat(amplitudeAt(up, 440)).isBetween(7000.0, 9000.0);
    }

    @Test
    void aRecordingGrowsFrameByFrameAndReadsBack(@TempDir Path dir) throws IOException {
        Audio tone = sine(8000, 1, 1000, 9000, 1000);
        short[] all = tone.samples();
        Path file = dir.resolve("calls/rec.wav");
        try (WavRecorder rec = WavRecorder.create(file, 8000, 1)) {
            for (int i = 0; i < all.length; i += 160) {
                rec.write(all, i, Math.min(160, all.length - i));
            }
            assertThat(rec.millis()).isEqualTo(1000);
        }
        assertThat(Wav.read(file)).isEqualTo(tone);
    }

    @Test
    void aRecordingLongerThanOneChunkReadsBackWhole(@TempDir Path dir) throws IOException {
        Audio tone = sine(8000, 2, 1000, 9000, 5000); // 160 KB of samples: the disk thread gets three chunks
        short[] all = tone.samples();
        Path file = dir.resolve("long.wav");
        try (WavRecorder rec = WavRecorder.create(file, 8000, 2)) {
            for (int i = 0; i < all.length; i += 320) {
                rec.write(all, i, Math.min(320, all.length - i));
            }
        }
        assertThat(Wav.read(file)).isEqualTo(tone);
    }

    @Test
    void aDiskThatRefusesWritesFailsTheNextWriteAndTheClose() throws Exception {
        Path full = Path.of("/dev/full"); // every write: ENOSPC, a real device's refusal
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isWritable(full), "/dev/full is not writable here");
        WavRecorder rec = WavRecorder.create(full, 8000, 1);
        short[] frame = new short[160];
        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
            for (int i = 0; i < 2000; i++) { // 640 KB: the disk thread refuses the first chunk long before the end
                rec.write(frame, 0, 160);
                if (i % 200 == 0) {
                    Thread.sleep(20); // deliberate pacing: the disk thread gets its turns while the writer goes on
                }
            }
        });
        assertThat(refused).hasMessageContaining("space");
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, rec::close);
    }
}
