package org.switchboard.media.sdp;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.media.codec.G711;

/**
 * SDP offer/answer (RFC 3264) for a G.711 media server: picks the first of the offer's audio formats that is PCMU or
 * PCMA, keeps the offer's telephone-event payload type, mirrors the direction, and writes the answer; or writes an
 * offer of its own for a call that came without SDP (3pcc).
 */
public final class Negotiation {

    private static final AtomicLong VERSION = new AtomicLong(System.currentTimeMillis() / 1000);

    /**
     * What was agreed.
     *
     * @param sdp the SDP body to send
     * @param codec PCMU or PCMA
     * @param telephoneEvent the telephone-event payload type, or -1 when the offer had none
     * @param remote where the peer receives RTP (empty on hold with 0.0.0.0, or port 0)
     * @param direction the direction of the answer
     */
    public record Result(String sdp, G711 codec, int telephoneEvent, Optional<InetSocketAddress> remote,
                         Sdp.Direction direction) {
    }

    private Negotiation() {
    }

    /** The answer to {@code offer}, or empty when it has no audio stream in PCMU or PCMA (the call gets 488). */
    public static Optional<Result> answer(Sdp offer, String localAddress, int localPort) {
        Optional<Sdp.Media> audio = offer.audio();
        if (audio.isEmpty() || audio.get().port() == 0) {
            return Optional.empty();
        }
        Sdp.Media m = audio.get();
        G711 codec = null;
        for (int pt : m.formats()) {
            String name = m.encoding(pt).orElse("");
            if (name.equals("PCMU") || name.equals("PCMA")) {
                codec = G711.valueOf(name);
                break;
            }
        }
        if (codec == null) {
            return Optional.empty();
        }
        int event = m.formats().stream().filter(pt -> m.encoding(pt).filter(n -> n.equals("TELEPHONE-EVENT")).isPresent())
                .findFirst().orElse(-1);
        Sdp.Direction direction = m.direction().answer();
        Optional<InetSocketAddress> remote = offer.addressOf(m).filter(a -> !a.equals("0.0.0.0"))
                .map(a -> new InetSocketAddress(a, m.port()));
        return Optional.of(new Result(write(localAddress, localPort, codec, event, direction), codec, event, remote,
                direction));
    }

    /** An offer of PCMU, PCMA and telephone-event 101, for a call that came without SDP. */
    public static String offer(String localAddress, int localPort) {
        return body(localAddress, localPort, "0 8 101", "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n", Sdp.Direction.SENDRECV);
    }

    private static String write(String address, int port, G711 codec, int event, Sdp.Direction direction) {
        String formats = codec.payloadType() + (event >= 0 ? " " + event : "");
        String maps = "a=rtpmap:" + codec.payloadType() + " " + codec.name() + "/8000\r\n"
                + (event >= 0 ? "a=rtpmap:" + event + " telephone-event/8000\r\na=fmtp:" + event + " 0-16\r\n" : "");
        return body(address, port, formats, maps, direction);
    }

    private static String body(String address, int port, String formats, String maps, Sdp.Direction direction) {
        long version = VERSION.incrementAndGet();
        String family = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        return "v=0\r\n"
                + "o=switchboard " + version + " " + version + " IN " + family + " " + address + "\r\n"
                + "s=switchboard\r\n"
                + "c=IN " + family + " " + address + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP " + formats + "\r\n"
                + maps
                + "a=ptime:20\r\n"
                + "a=" + direction.attribute() + "\r\n";
    }
}
