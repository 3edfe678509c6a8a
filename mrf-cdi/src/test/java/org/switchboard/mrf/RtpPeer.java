package org.switchboard.mrf;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The far end's media for the tests: sends PCMU every 20 ms (silence, or a 440 Hz tone while {@link #tone} is on)
 * and RFC 4733 telephone events for the digits queued with {@link #sendDtmf}, 100 ms each.
 */
final class RtpPeer implements AutoCloseable {

    private static final int EVENT_PT = 101;
    private static final String DIGITS = "0123456789*#ABCD";
    private final DatagramSocket socket;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rtp-peer");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Character> digits = new ConcurrentLinkedQueue<>();
    private final int ssrc = (int) System.nanoTime();
    private volatile InetSocketAddress remote;
    volatile boolean tone;
    private int seq;
    private int timestamp;
    private long phase;
    // the digit being sent and how many 20 ms packets of it are out
    private int digit = -1;
    private int digitPackets;
    private int digitStart;

    RtpPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    String offer() {
        return "v=0\r\no=mrf 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + socket.getLocalPort() + " RTP/AVP 0 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";
    }

    /** Starts sending to the address of the server's answer. */
    void answer(String sdp) {
        Matcher c = Pattern.compile("c=IN IP4 (\\S+)").matcher(sdp);
        Matcher m = Pattern.compile("m=audio (\\d+)").matcher(sdp);
        if (!c.find() || !m.find()) {
            throw new IllegalArgumentException("no media in " + sdp);
        }
        remote = new InetSocketAddress(c.group(1), Integer.parseInt(m.group(1)));
        sender.scheduleAtFixedRate(this::tick, 0, 20, TimeUnit.MILLISECONDS);
    }

    void sendDtmf(String s) {
        for (char ch : s.toCharArray()) {
            digits.add(ch);
        }
    }

    private void tick() {
        try {
            if (digit < 0 && !digits.isEmpty()) {
                digit = DIGITS.indexOf(digits.poll());
                digitPackets = 0;
                digitStart = timestamp;
            }
            if (digit >= 0) {
                sendEvent();
            } else {
                sendAudio();
            }
        } catch (IOException | RuntimeException e) {
            if (!socket.isClosed()) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void sendEvent() throws IOException {
        digitPackets++;
        boolean end = digitPackets > 5;
        int duration = Math.min(digitPackets, 5) * 160;
        byte[] payload = {(byte) digit, (byte) (end ? 0x80 | 10 : 10), (byte) (duration >> 8), (byte) duration};
        send(EVENT_PT, digitPackets == 1, digitStart, payload);
        if (digitPackets == 8) { // three end packets, as RFC 4733 asks
            digit = -1;
            timestamp += 8 * 160;
        }
    }

    private void sendAudio() throws IOException {
        byte[] payload = new byte[160];
        for (int i = 0; i < payload.length; i++) {
            double v = tone ? 8000 * Math.sin(2 * Math.PI * 440 * (phase++) / 8000.0) : 0;
            payload[i] = ulaw((int) v);
        }
        send(0, false, timestamp, payload);
        timestamp += 160;
    }

    private void send(int pt, boolean marker, int ts, byte[] payload) throws IOException {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | pt);
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq++;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        System.arraycopy(payload, 0, p, 12, payload.length);
        socket.send(new DatagramPacket(p, p.length, remote));
    }

    /** G.711 mu-law encoding of a 16-bit sample. */
    private static byte ulaw(int sample) {
        int sign = sample < 0 ? 0x80 : 0;
        int magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        socket.close();
    }
}
