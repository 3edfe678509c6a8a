package org.switchboard.container;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.switchboard.media.codec.G711;

/**
 * Writes an RTP capture of one steady tone (PCMA, 20 ms packets) for sipp's {@code play_pcap_audio}: a caller
 * whose voice is a frequency of its own, so a listener can tell who it hears.
 */
final class TonePcap {

    private static final int PACKET_SAMPLES = 160;
    private static final int AMPLITUDE = 6000;

    private TonePcap() {
    }

    /** Writes {@code seconds} of {@code freq} Hz to {@code file}. */
    static Path write(Path file, double freq, int seconds) throws IOException {
        int packets = seconds * 50;
        int rtp = 12 + PACKET_SAMPLES;
        int frame = 14 + 20 + 8 + rtp;
        ByteBuffer out = ByteBuffer.allocate(24 + packets * (16 + frame));
        // libpcap global header (little-endian), Ethernet link
        out.order(ByteOrder.LITTLE_ENDIAN).putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(1);
        byte[] payload = new byte[PACKET_SAMPLES];
        for (int p = 0; p < packets; p++) {
            long micros = p * 20_000L;
            out.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000))
                    .putInt(frame).putInt(frame);
            out.order(ByteOrder.BIG_ENDIAN);
            out.put(new byte[12]).putShort((short) 0x0800); // MAC addresses, IPv4
            out.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + rtp)).putInt(0).put((byte) 64).put((byte) 17)
                    .putShort((short) 0).putInt(0x7F000001).putInt(0x7F000001);
            out.putShort((short) 6000).putShort((short) 6002).putShort((short) (8 + rtp)).putShort((short) 0);
            for (int i = 0; i < PACKET_SAMPLES; i++) {
                int n = p * PACKET_SAMPLES + i;
                payload[i] = G711.PCMA.encode((short) (AMPLITUDE * Math.sin(2 * Math.PI * freq * n / 8000.0)));
            }
            out.put((byte) 0x80).put((byte) 8).putShort((short) p).putInt(p * PACKET_SAMPLES).putInt(0x5B0A_0000 + (int) freq)
                    .put(payload);
        }
        return Files.write(file, out.array());
    }
}
