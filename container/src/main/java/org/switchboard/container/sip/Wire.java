package org.switchboard.container.sip;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** The SIP text an application puts in a drachtio {@code sip} frame (spec 3.3: the server completes the rest). */
final class Wire {

    private static final Pattern REASON_TEXT = Pattern.compile("text=\"([^\"]*)\"");

    private Wire() {
    }

    static String request(String method, String uri, Map<String, String> headers, String contentType, String body) {
        StringBuilder b = new StringBuilder(256 + body.length()).append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
        headers.forEach((name, value) -> b.append(name).append(": ").append(value).append("\r\n"));
        if (!body.isEmpty()) {
            b.append("Content-Type: ").append(contentType.isEmpty() ? "application/sdp" : contentType).append("\r\n");
        }
        return b.append("\r\n").append(body).toString();
    }

    static String response(SipResponse response) {
        return response.toString();
    }

    static String response(int status, Map<String, String> headers, String sdp) {
        SipResponse.Builder b = SipResponse.builder(status);
        headers.forEach(b::addHeader);
        if (!sdp.isEmpty()) {
            b.body("application/sdp", sdp);
        }
        return b.build().toString();
    }

    /** The SDP of a message, empty when it carries none. */
    static String sdp(SipMessage message) {
        if (message.bodyLength() == 0) {
            return "";
        }
        Optional<String> type = message.contentType();
        return type.isEmpty() || type.get().toLowerCase(java.util.Locale.ROOT).startsWith("application/sdp")
                ? message.bodyAsString() : "";
    }

    /** The text of a Reason header ({@code SIP ;cause=200 ;text="ACK timeout"}), else {@code fallback}. */
    static String reasonText(SipRequest request, String fallback) {
        return request.header("Reason").map(REASON_TEXT::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse(fallback);
    }
}
