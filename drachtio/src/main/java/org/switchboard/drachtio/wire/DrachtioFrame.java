package org.switchboard.drachtio.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One drachtio frame: the sender's message id, the keyword ({@code authenticate}, {@code route},
 * {@code remove_route}, {@code ping}, {@code sip}, {@code proxy}, {@code response}, {@code cdr:attempt},
 * {@code cdr:start}, {@code cdr:stop}), the remaining leader tokens, and the SIP message that follows the first
 * CRLF, if any. Token positions are 0-based (token 0 is the id, token 1 the keyword; docs/drachtio.md).
 *
 * @param tokens every leader token, id and keyword included
 * @param sipMessage the SIP message text after the leader, when present
 */
public record DrachtioFrame(List<String> tokens, Optional<String> sipMessage) {

    /** The keywords of the protocol. */
    public static final List<String> KEYWORDS = List.of("authenticate", "route", "remove_route", "ping", "sip", "proxy",
            "response", "cdr:attempt", "cdr:start", "cdr:stop");

    public DrachtioFrame {
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(sipMessage, "sipMessage");
        if (tokens.size() < 2) {
            throw new IllegalArgumentException("a frame needs at least a message id and a keyword");
        }
        for (String t : tokens) {
            if (t.indexOf('|') >= 0 || t.indexOf('\r') >= 0 || t.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("leader token '" + t + "' holds '|', CR or LF, which the protocol cannot carry");
            }
        }
    }

    /** A frame from its id, keyword and further tokens, without a SIP message. */
    public static DrachtioFrame of(String id, String keyword, String... args) {
        List<String> t = new ArrayList<>(args.length + 2);
        t.add(id);
        t.add(keyword);
        t.addAll(Arrays.asList(args));
        return new DrachtioFrame(t, Optional.empty());
    }

    /** This frame carrying a SIP message after its leader. */
    public DrachtioFrame withSipMessage(String sip) {
        return new DrachtioFrame(tokens, Optional.of(sip));
    }

    /** Reads a payload (the bytes after {@code <length>#}). */
    public static DrachtioFrame parse(String payload) {
        int crlf = payload.indexOf("\r\n");
        String leader = crlf < 0 ? payload : payload.substring(0, crlf);
        List<String> tokens = Arrays.asList(leader.split("\\|", -1));
        if (tokens.size() < 2 || tokens.get(0).isEmpty()) {
            throw new DrachtioProtocolException("frame leader '" + abbreviate(leader) + "' has no message id and keyword");
        }
        if (leader.indexOf('\r') >= 0 || leader.indexOf('\n') >= 0) {
            throw new DrachtioProtocolException("frame leader '" + abbreviate(leader) + "' holds a CR or LF outside its CRLF");
        }
        return new DrachtioFrame(tokens, crlf < 0 ? Optional.empty() : Optional.of(payload.substring(crlf + 2)));
    }

    /** The payload text: leader, then CRLF and the SIP message when there is one. */
    public String payload() {
        String leader = String.join("|", tokens);
        return sipMessage.map(m -> leader + "\r\n" + m).orElse(leader);
    }

    /** The payload as UTF-8 bytes. */
    public byte[] payloadBytes() {
        return payload().getBytes(StandardCharsets.UTF_8);
    }

    /** The frame on the wire: the payload's UTF-8 byte count, {@code #}, the payload. */
    public byte[] toBytes() {
        byte[] payload = payloadBytes();
        byte[] prefix = (payload.length + "#").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + payload.length);
        System.arraycopy(payload, 0, out, prefix.length, payload.length);
        return out;
    }

    /** The sender's message id (token 0). */
    public String id() {
        return tokens.get(0);
    }

    /** The keyword (token 1). */
    public String keyword() {
        return tokens.get(1);
    }

    /** Token {@code index}, or empty when the leader is shorter. */
    public String token(int index) {
        return index < tokens.size() ? tokens.get(index) : "";
    }

    /** Whether the keyword is one the protocol defines. */
    public boolean isKnownKeyword() {
        return KEYWORDS.contains(keyword());
    }

    // ---- typed views ----------------------------------------------------------------------

    /** For a {@code response} frame: the id of the frame it answers (token 2). */
    public String inReplyTo() {
        return token(2);
    }

    /** For a {@code response} frame: {@code OK}, {@code NO} (synchronous refusal) or {@code NOK} (later failure). */
    public String status() {
        return token(3);
    }

    /** For a {@code response} frame: whether the status is {@code OK}. */
    public boolean isOk() {
        return status().equals("OK");
    }

    /** For a {@code response} frame from {@code proxy} with fullResponse: whether more frames follow (token 12 {@code continue}). */
    public boolean isContinued() {
        return token(12).equals("continue");
    }

    /**
     * The META block of a {@code sip} frame from the server (tokens 2 to 7) or of a response frame that
     * reports a message sent (tokens 4 to 9).
     */
    public Optional<Meta> meta() {
        int at = keyword().equals("sip") ? 2 : keyword().equals("response") && isOk() && tokens.size() >= 10 ? 4 : -1;
        if (at < 0 || tokens.size() < at + 6) {
            return Optional.empty();
        }
        return Optional.of(new Meta(token(at), token(at + 1), token(at + 2), token(at + 3), token(at + 4), token(at + 5)));
    }

    /**
     * For a {@code sip} frame from the server: the transaction id (token 8); for a response to a {@code sip} frame:
     * token 10.
     */
    public String transactionId() {
        return keyword().equals("sip") && meta().isPresent() ? token(8) : keyword().equals("response") ? token(10) : token(2);
    }

    /** For a {@code sip} frame from the server: the dialog id (token 9); for a response reporting a response sent: token 11. */
    public String dialogId() {
        if (keyword().equals("sip")) {
            return meta().isPresent() ? token(9) : token(3);
        }
        return token(11).equals("Msg sent:") ? "" : token(11);
    }

    /**
     * A META block: how a SIP message crossed the network.
     *
     * @param source {@code network} or {@code application}
     * @param bytes its size on the wire
     * @param protocol {@code udp}, {@code tcp}, {@code tls}
     * @param address the peer address
     * @param port the peer port
     * @param time the server's time of day, {@code HH:MM:SS.uuuuuu}
     */
    public record Meta(String source, String bytes, String protocol, String address, String port, String time) {
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public String toString() {
        return abbreviate(String.join("|", tokens)) + sipMessage.map(m -> " + SIP (" + m.length() + " chars)").orElse("");
    }
}
