package org.switchboard.media.sdp;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.codec.Codecs;
import org.switchboard.media.rtp.SrtcpContext;
import org.switchboard.media.rtp.SrtpContext;
import org.switchboard.media.rtp.SrtpSuite;

/**
 * SDP offer/answer (RFC 3264) over a configured codec list: picks the codec as FreeSWITCH's
 * {@code inbound-codec-negotiation} does (generous, its default: the offer's first format that is on our list;
 * greedy: our list's first codec that the offer has), keeps the offer's payload type and telephone-event type,
 * mirrors the direction, and writes the answer; or writes an offer of its own for a call that came without SDP (3pcc).
 * An {@code RTP/SAVP} offer is answered in SRTP with a key of ours for the first of its SDES crypto lines we can
 * honour (RFC 4568: AES_CM_128_HMAC_SHA1_80 or _32, an inline key without MKI, no session parameters), or not at all.
 */
public final class Negotiation {

    private static final AtomicLong VERSION = new AtomicLong(System.currentTimeMillis() / 1000);
    private static final int OUR_EVENT_TYPE = 101;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What was agreed.
     *
     * @param sdp the SDP body to send
     * @param codec the codec chosen
     * @param payloadType its payload type (the offer's)
     * @param telephoneEvent the telephone-event payload type, or -1 when the offer had none
     * @param remote where the peer receives RTP (empty on hold with 0.0.0.0, or port 0)
     * @param direction the direction of the answer
     * @param srtp the keys, when the stream is SRTP
     */
    public record Result(String sdp, Codec codec, int payloadType, int telephoneEvent,
                         Optional<InetSocketAddress> remote, Sdp.Direction direction, Optional<Sdes> srtp) {
    }

    /**
     * The SDES keys of an SRTP stream: 16-byte master key then 14-byte master salt, base64 as the inline key.
     *
     * @param suite the crypto suite
     * @param remoteKey the peer's inline key (what it encrypts with, we decrypt with)
     * @param localKey our inline key (what we encrypt with)
     */
    public record Sdes(SrtpSuite suite, String remoteKey, String localKey) {

        /** The context that encrypts what we send. */
        public SrtpContext sender() {
            return context(localKey);
        }

        /** The context that checks and decrypts what the peer sends. */
        public SrtpContext receiver() {
            return context(remoteKey);
        }

        /** The SRTCP context that protects the reports we send (the same master key as {@link #sender()}). */
        public SrtcpContext rtcpSender() {
            return new SrtcpContext(key(localKey), salt(localKey));
        }

        /** The SRTCP context that checks the peer's reports. */
        public SrtcpContext rtcpReceiver() {
            return new SrtcpContext(key(remoteKey), salt(remoteKey));
        }

        private SrtpContext context(String inline) {
            return new SrtpContext(suite, key(inline), salt(inline));
        }

        private static byte[] key(String inline) {
            return Arrays.copyOf(Base64.getDecoder().decode(inline), SrtpSuite.KEY_BYTES);
        }

        private static byte[] salt(String inline) {
            return Arrays.copyOfRange(Base64.getDecoder().decode(inline), SrtpSuite.KEY_BYTES,
                    SrtpSuite.KEY_BYTES + SrtpSuite.SALT_BYTES);
        }
    }

    private final List<Codec> codecs;
    private final boolean greedy;

    /**
     * Negotiation over {@code codecs}, in our order of preference.
     *
     * @param greedy our order decides (FreeSWITCH's {@code greedy}); else the offer's does ({@code generous})
     */
    public Negotiation(List<Codec> codecs, boolean greedy) {
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("no codecs to negotiate");
        }
        this.codecs = List.copyOf(codecs);
        this.greedy = greedy;
    }

    /** FreeSWITCH's defaults: {@code OPUS,G722,PCMU,PCMA}, generous. */
    public static Negotiation defaults() {
        return new Negotiation(Codecs.parse(String.join(",", Codecs.DEFAULT_PREFERENCES)), false);
    }

    /** The codecs, in our order. */
    public List<Codec> codecs() {
        return codecs;
    }

    /**
     * The answer to {@code offer}, or empty when its audio stream has no codec of ours or is not plain RTP (the call
     * gets 488).
     */
    public Optional<Result> answer(Sdp offer, String localAddress, int localPort) {
        Optional<Sdp.Media> audio = offer.audio();
        if (audio.isEmpty() || audio.get().port() == 0) {
            return Optional.empty();
        }
        Sdp.Media m = audio.get();
        Optional<Sdes> srtp = Optional.empty();
        String crypto = "";
        if (m.protocol().equals("RTP/SAVP")) {
            Optional<String[]> line = m.crypto().stream().map(c -> c.split(" +"))
                    .filter(Negotiation::honourable).findFirst();
            if (line.isEmpty()) {
                return Optional.empty();
            }
            String[] c = line.get();
            srtp = Optional.of(new Sdes(SrtpSuite.valueOf(c[1]), c[2].substring("inline:".length()).split("\\|")[0],
                    newKey()));
            crypto = "a=crypto:" + c[0] + " " + c[1] + " inline:" + srtp.get().localKey() + "\r\n";
        } else if (!m.protocol().equals("RTP/AVP")) {
            return Optional.empty();
        }
        Optional<int[]> choice = choose(m);
        if (choice.isEmpty()) {
            return Optional.empty();
        }
        int payloadType = choice.get()[1];
        Codec codec = atOfferedRate(codecs.get(choice.get()[0]), m, payloadType);
        int event = telephoneEvent(m, codec);
        Sdp.Direction direction = m.direction().answer();
        Optional<InetSocketAddress> remote = offer.addressOf(m).filter(a -> !a.equals("0.0.0.0"))
                .map(a -> new InetSocketAddress(a, m.port()));
        String formats = payloadType + (event >= 0 ? " " + event : "");
        String maps = rtpmap(codec, payloadType)
                + (event >= 0 ? "a=rtpmap:" + event + " telephone-event/" + eventRate(m, event)
                + "\r\na=fmtp:" + event + " 0-16\r\n" : "") + crypto;
        return Optional.of(new Result(body(localAddress, localPort, m.protocol(), formats, maps, direction), codec,
                payloadType, event, remote, direction, srtp));
    }

    /** An offer of our codecs in our order and telephone-event 101, for a call that came without SDP. */
    public String offer(String localAddress, int localPort) {
        StringBuilder formats = new StringBuilder();
        StringBuilder maps = new StringBuilder();
        for (Codec codec : codecs) {
            formats.append(codec.payloadType()).append(' ');
            maps.append(rtpmap(codec, codec.payloadType()));
        }
        formats.append(OUR_EVENT_TYPE);
        maps.append("a=rtpmap:" + OUR_EVENT_TYPE + " telephone-event/8000\r\na=fmtp:" + OUR_EVENT_TYPE + " 0-16\r\n");
        return body(localAddress, localPort, "RTP/AVP", formats.toString(), maps.toString(), Sdp.Direction.SENDRECV);
    }

    /** {index in our list, payload type} of the codec chosen. */
    private Optional<int[]> choose(Sdp.Media m) {
        int[] best = null;
        for (int pt : m.formats()) {
            for (int i = 0; i < codecs.size(); i++) {
                if (matches(m, pt, codecs.get(i)) && (best == null || i < best[0])) {
                    best = new int[] {i, pt};
                    if (!greedy) {
                        return Optional.of(best);
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Opus at the rate the offer's {@code maxplaybackrate} allows (RFC 7587: the most the peer wants to receive), so
     * that the channel runs at it; the other codecs as they are.
     */
    private static Codec atOfferedRate(Codec codec, Sdp.Media m, int payloadType) {
        if (!codec.name().equalsIgnoreCase("opus")) {
            return codec;
        }
        try {
            return m.fmtp(payloadType, "maxplaybackrate").map(Integer::parseInt).map(Codecs::opus).orElse(codec);
        } catch (NumberFormatException e) {
            return codec;
        }
    }

    /** An offered format is a codec of ours when its name matches and so does its clock rate, if an rtpmap gives one. */
    private static boolean matches(Sdp.Media m, int payloadType, Codec codec) {
        if (!m.encoding(payloadType).filter(n -> n.equalsIgnoreCase(codec.name())).isPresent()) {
            return false;
        }
        String map = m.rtpmaps().get(payloadType);
        String[] parts = map == null ? new String[0] : map.split("/");
        return parts.length < 2 || parts[1].equals(Integer.toString(codec.clockRate()));
    }

    /** The offer's telephone-event type at the codec's clock rate, else its first one, else -1. */
    private static int telephoneEvent(Sdp.Media m, Codec codec) {
        int any = -1;
        for (int pt : m.formats()) {
            if (m.encoding(pt).filter(n -> n.equals("TELEPHONE-EVENT")).isPresent()) {
                if (eventRate(m, pt) == codec.clockRate()) {
                    return pt;
                }
                any = any < 0 ? pt : any;
            }
        }
        return any;
    }

    private static int eventRate(Sdp.Media m, int payloadType) {
        String[] parts = Objects.requireNonNullElse(m.rtpmaps().get(payloadType), "TELEPHONE-EVENT/8000").split("/");
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 8000;
        } catch (NumberFormatException e) {
            return 8000;
        }
    }

    private static String rtpmap(Codec codec, int payloadType) {
        String name = codec.name();
        String map = "a=rtpmap:" + payloadType + " " + name + "/" + codec.clockRate()
                + (codec.rtpmapChannels() > 1 ? "/" + codec.rtpmapChannels() : "") + "\r\n";
        return map + codec.fmtp().map(f -> "a=fmtp:" + payloadType + " " + f + "\r\n").orElse("");
    }

    /**
     * Whether we can honour a crypto line ({@code tag suite inline:key[|lifetime]}): a suite of ours, a 30-byte key,
     * no MKI (which would put a key number in every packet) and no session parameters (such as unencrypted SRTP).
     */
    private static boolean honourable(String[] crypto) {
        if (crypto.length != 3 || !crypto[0].matches("\\d{1,9}") || SrtpSuite.of(crypto[1]).isEmpty()
                || !crypto[2].startsWith("inline:")) {
            return false;
        }
        String[] parts = crypto[2].substring("inline:".length()).split("\\|");
        if (parts.length == 0 || parts.length > 2 || (parts.length == 2 && parts[1].contains(":"))) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(parts[0]).length == SrtpSuite.KEY_BYTES + SrtpSuite.SALT_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String newKey() {
        byte[] keySalt = new byte[SrtpSuite.KEY_BYTES + SrtpSuite.SALT_BYTES];
        RANDOM.nextBytes(keySalt);
        return Base64.getEncoder().encodeToString(keySalt);
    }

    private static String body(String address, int port, String protocol, String formats, String maps,
                               Sdp.Direction direction) {
        long version = VERSION.incrementAndGet();
        String family = address.indexOf(':') >= 0 ? "IP6" : "IP4";
        return "v=0\r\n"
                + "o=switchboard " + version + " " + version + " IN " + family + " " + address + "\r\n"
                + "s=switchboard\r\n"
                + "c=IN " + family + " " + address + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " " + protocol + " " + formats + "\r\n"
                + maps
                + "a=ptime:20\r\n"
                + "a=" + direction.attribute() + "\r\n";
    }

    @Override
    public String toString() {
        return "codecs " + codecs + (greedy ? " (greedy)" : " (generous)");
    }
}
