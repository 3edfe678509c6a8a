package org.switchboard.media.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an SDP body (RFC 4566) an audio media server needs: the session connection address, and each media
 * line with its port, payload types, rtpmap names, direction and ptime. Unknown lines are ignored; a body without
 * {@code v=0} or with a malformed {@code m=} line is refused.
 *
 * @param connection the session-level {@code c=} address, if any
 * @param media the media descriptions, in order
 */
public record Sdp(Optional<String> connection, List<Media> media) {

    /** A media direction attribute. */
    public enum Direction {
        SENDRECV, SENDONLY, RECVONLY, INACTIVE;

        /** The direction an answerer uses for this offered one (RFC 3264 6.1). */
        public Direction answer() {
            return switch (this) {
                case SENDONLY -> RECVONLY;
                case RECVONLY -> SENDONLY;
                default -> this;
            };
        }

        String attribute() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One {@code m=} section.
     *
     * @param type audio, video, ...
     * @param port the port (0: rejected stream)
     * @param protocol RTP/AVP, RTP/SAVP, ...
     * @param formats the payload types in preference order
     * @param rtpmaps payload type to {@code encoding/clock[/channels]}, upper-cased encoding
     * @param connection this section's {@code c=} address, if any
     * @param direction sendrecv unless an attribute says otherwise
     * @param ptime the packetization time in ms, if given
     * @param crypto the values of its {@code a=crypto} attributes (RFC 4568 SDES), in order
     * @param fmtps payload type to its {@code a=fmtp} parameters ({@code useinbandfec=1; maxplaybackrate=16000})
     */
    public record Media(String type, int port, String protocol, List<Integer> formats, Map<Integer, String> rtpmaps,
                        Optional<String> connection, Direction direction, Optional<Integer> ptime, List<String> crypto,
                        Map<Integer, String> fmtps) {

        /** A parameter of a payload type's fmtp ({@code maxplaybackrate}), if given. */
        public Optional<String> fmtp(int payloadType, String parameter) {
            String line = fmtps.get(payloadType);
            if (line == null) {
                return Optional.empty();
            }
            for (String p : line.split(";")) {
                String[] kv = p.strip().split("=", 2);
                if (kv.length == 2 && kv[0].strip().equalsIgnoreCase(parameter)) {
                    return Optional.of(kv[1].strip());
                }
            }
            return Optional.empty();
        }

        /** The encoding name of a payload type: from rtpmap, else the static types of RFC 3551. */
        public Optional<String> encoding(int payloadType) {
            String mapped = rtpmaps.get(payloadType);
            if (mapped != null) {
                return Optional.of(beforeSlash(mapped));
            }
            return switch (payloadType) {
                case 0 -> Optional.of("PCMU");
                case 8 -> Optional.of("PCMA");
                case 9 -> Optional.of("G722");
                case 13 -> Optional.of("CN");
                case 18 -> Optional.of("G729");
                default -> Optional.empty();
            };
        }
    }

    /**
     * Reads an SDP body.
     *
     * @throws IllegalArgumentException when it is not SDP or a media line is malformed
     */
    public static Sdp parse(String body) {
        String[] lines = body.split("\r\n|\n");
        if (lines.length == 0 || !lines[0].strip().equals("v=0")) {
            throw new IllegalArgumentException("an SDP body starts with v=0");
        }
        Optional<String> sessionConnection = Optional.empty();
        List<Media> media = new ArrayList<>();
        MediaBuilder current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            String value = line.substring(2);
            switch (line.charAt(0)) {
                case 'c' -> {
                    String[] f = value.split(" ");
                    String address = f.length >= 3 ? beforeSlash(f[2]) : "";
                    if (!address.isEmpty()) {
                        if (current == null) {
                            sessionConnection = Optional.of(address);
                        } else {
                            current.connection = Optional.of(address);
                        }
                    }
                }
                case 'm' -> {
                    if (current != null) {
                        media.add(current.build());
                    }
                    current = MediaBuilder.of(value);
                }
                case 'a' -> {
                    if (current != null) {
                        current.attribute(value);
                    }
                }
                default -> {
                }
            }
        }
        if (current != null) {
            media.add(current.build());
        }
        return new Sdp(sessionConnection, Collections.unmodifiableList(media));
    }

    /** The first audio section, if any. */
    public Optional<Media> audio() {
        return media.stream().filter(m -> m.type().equals("audio")).findFirst();
    }

    /** Where a section's media goes: its own {@code c=} address, else the session's. */
    public Optional<String> addressOf(Media m) {
        return m.connection().or(() -> connection);
    }

    private static final class MediaBuilder {
        String type;
        int port;
        String protocol;
        List<Integer> formats = new ArrayList<>();
        Map<Integer, String> rtpmaps = new LinkedHashMap<>();
        Optional<String> connection = Optional.empty();
        Direction direction = Direction.SENDRECV;
        Optional<Integer> ptime = Optional.empty();
        List<String> crypto = new ArrayList<>();
        Map<Integer, String> fmtps = new LinkedHashMap<>();

        static MediaBuilder of(String value) {
            String[] f = value.split(" +");
            if (f.length < 4) {
                throw new IllegalArgumentException("m=" + value + " needs media, port, protocol and formats");
            }
            MediaBuilder b = new MediaBuilder();
            b.type = f[0];
            try {
                b.port = Integer.parseInt(beforeSlash(f[1]));
                for (int i = 3; i < f.length; i++) {
                    if (f[2].startsWith("RTP/")) {
                        b.formats.add(Integer.parseInt(f[i]));
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("m=" + value + " has a port or payload type that is not a number");
            }
            if (b.port < 0 || b.port > 65535) {
                throw new IllegalArgumentException("m=" + value + " has port " + b.port);
            }
            b.protocol = f[2];
            return b;
        }

        void attribute(String value) {
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            String arg = colon < 0 ? "" : value.substring(colon + 1).strip();
            switch (name) {
                case "rtpmap" -> {
                    String[] f = arg.split(" +", 2);
                    try {
                        if (f.length == 2) {
                            String[] enc = f[1].split("/", 2);
                            rtpmaps.put(Integer.parseInt(f[0]), enc[0].toUpperCase(Locale.ROOT)
                                    + (enc.length > 1 ? "/" + enc[1] : ""));
                        }
                    } catch (NumberFormatException e) {
                        // a malformed rtpmap is ignored, as the format stays unknown
                    }
                }
                case "sendrecv", "sendonly", "recvonly", "inactive" -> direction = Direction.valueOf(name.toUpperCase(Locale.ROOT));
                case "crypto" -> crypto.add(arg);
                case "fmtp" -> {
                    String[] f = arg.split(" +", 2);
                    try {
                        fmtps.put(Integer.parseInt(f[0]), f.length == 2 ? f[1].strip() : "");
                    } catch (NumberFormatException e) {
                        // a malformed fmtp is ignored
                    }
                }
                case "ptime" -> {
                    try {
                        ptime = Optional.of(Integer.parseInt(arg));
                    } catch (NumberFormatException e) {
                        // ignored
                    }
                }
                default -> {
                }
            }
        }

        Media build() {
            return new Media(type, port, protocol, List.copyOf(formats), Collections.unmodifiableMap(rtpmaps), connection,
                    direction, ptime, List.copyOf(crypto), Collections.unmodifiableMap(fmtps));
        }
    }

    /**
     * What comes before the first {@code /} ({@code PCMU} of {@code PCMU/8000}, the port of {@code 49170/2}); the
     * whole text without one. Not {@code split("/")[0]}: a text of slashes alone splits into nothing.
     */
    private static String beforeSlash(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? text : text.substring(0, slash);
    }
}
