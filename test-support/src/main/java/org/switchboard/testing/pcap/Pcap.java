package org.switchboard.testing.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the UDP datagrams of a classic libpcap capture (Ethernet or raw IPv4 link, IPv4, no fragments): enough for
 * the RTP captures in {@code interop/sipp/pcap}.
 */
public final class Pcap {

    private static final int LINK_ETHERNET = 1;
    private static final int LINK_RAW = 101;

    /**
     * One UDP datagram.
     *
     * @param seconds capture time, seconds part
     * @param micros capture time, microseconds part
     * @param sourcePort UDP source port
     * @param destinationPort UDP destination port
     * @param payload the UDP payload
     */
    public record Datagram(long seconds, long micros, int sourcePort, int destinationPort, byte[] payload) {
    }

    private Pcap() {
    }

    /** Every UDP datagram of the capture, in order. */
    public static List<Datagram> udp(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file);
        int magic = in.getInt(0);
        if (magic == 0xD4C3B2A1) {
            in.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != 0xA1B2C3D4) {
            throw new IllegalArgumentException("not a libpcap file (magic " + Integer.toHexString(magic) + ")");
        }
        int link = in.getInt(20);
        if (link != LINK_ETHERNET && link != LINK_RAW) {
            throw new IllegalArgumentException("link type " + link + " is not Ethernet or raw IP");
        }
        List<Datagram> out = new ArrayList<>();
        int at = 24;
        while (at + 16 <= file.length) {
            long seconds = Integer.toUnsignedLong(in.getInt(at));
            long micros = Integer.toUnsignedLong(in.getInt(at + 4));
            int captured = in.getInt(at + 8);
            int frame = at + 16;
            at = frame + captured;
            int ip = frame + (link == LINK_ETHERNET ? 14 : 0);
            if (link == LINK_ETHERNET && ((file[frame + 12] & 0xFF) << 8 | file[frame + 13] & 0xFF) != 0x0800) {
                continue; // not IPv4
            }
            if ((file[ip] >> 4) != 4 || file[ip + 9] != 17) {
                continue; // not IPv4/UDP
            }
            int udp = ip + (file[ip] & 0x0F) * 4;
            int length = ((file[udp + 4] & 0xFF) << 8 | file[udp + 5] & 0xFF) - 8;
            out.add(new Datagram(seconds, micros, (file[udp] & 0xFF) << 8 | file[udp + 1] & 0xFF,
                    (file[udp + 2] & 0xFF) << 8 | file[udp + 3] & 0xFF, Arrays.copyOfRange(file, udp + 8, udp + 8 + length)));
        }
        return out;
    }
}
