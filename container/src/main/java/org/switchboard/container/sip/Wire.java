package org.switchboard.container.sip;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/** The messages the container hands to the drachtio server, which completes their headers (docs/drachtio.md). */
final class Wire {

    private static final Pattern REASON_TEXT = Pattern.compile("text=\"([^\"]*)\"");
    // the server addresses an in-dialog request from the dialog, whatever its Request-URI
    private static final String IN_DIALOG_URI = "sip:placeholder";

    private Wire() {
    }

    static SipRequest request(String method, String uri, Map<String, String> headers, String contentType, String body) {
        SipRequest.Builder b = SipRequest.builder(method, uri);
        headers.forEach(b::addHeader);
        if (!body.isEmpty()) {
            b.body(contentType.isEmpty() ? "application/sdp" : contentType, body);
        }
        return b.build();
    }

    static SipRequest inDialog(String method, Map<String, String> headers, String contentType, String body) {
        return request(method, IN_DIALOG_URI, headers, contentType, body);
    }

    static SipResponse response(int status) {
        return SipResponse.builder(status).build();
    }

    static SipResponse response(int status, Map<String, String> headers, String sdp) {
        SipResponse.Builder b = SipResponse.builder(status);
        headers.forEach(b::addHeader);
        if (!sdp.isEmpty()) {
            b.body("application/sdp", sdp);
        }
        return b.build();
    }

    /** The SDP of a message, empty when it carries none. */
    static String sdp(SipMessage message) {
        if (message.bodyLength() == 0) {
            return "";
        }
        Optional<String> type = message.contentType();
        return type.isEmpty() || type.get().toLowerCase(Locale.ROOT).startsWith("application/sdp")
                ? message.bodyAsString() : "";
    }

    /** The text of a Reason header ({@code SIP ;cause=200 ;text="ACK timeout"}), else {@code fallback}. */
    static String reasonText(SipRequest request, String fallback) {
        return request.header("Reason").map(REASON_TEXT::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse(fallback);
    }
}
