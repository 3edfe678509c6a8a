package org.switchboard.sip.message;

import java.util.Map;
import java.util.Objects;
import org.switchboard.sip.SipParseException;

/** A SIP response: status code, reason phrase, headers and body. Immutable; see {@link #builder}. */
public final class SipResponse extends SipMessage {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(100, "Trying"), Map.entry(180, "Ringing"), Map.entry(181, "Call Is Being Forwarded"),
            Map.entry(182, "Queued"), Map.entry(183, "Session Progress"), Map.entry(199, "Early Dialog Terminated"),
            Map.entry(200, "OK"), Map.entry(202, "Accepted"), Map.entry(204, "No Notification"),
            Map.entry(300, "Multiple Choices"), Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Moved Temporarily"), Map.entry(305, "Use Proxy"), Map.entry(380, "Alternative Service"),
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(402, "Payment Required"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"), Map.entry(407, "Proxy Authentication Required"),
            Map.entry(408, "Request Timeout"), Map.entry(410, "Gone"), Map.entry(413, "Request Entity Too Large"),
            Map.entry(414, "Request-URI Too Long"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(416, "Unsupported URI Scheme"), Map.entry(420, "Bad Extension"),
            Map.entry(421, "Extension Required"), Map.entry(422, "Session Interval Too Small"),
            Map.entry(423, "Interval Too Brief"), Map.entry(430, "Flow Failed"), Map.entry(480, "Temporarily Unavailable"),
            Map.entry(481, "Call/Transaction Does Not Exist"), Map.entry(482, "Loop Detected"),
            Map.entry(483, "Too Many Hops"), Map.entry(484, "Address Incomplete"), Map.entry(485, "Ambiguous"),
            Map.entry(486, "Busy Here"), Map.entry(487, "Request Terminated"),
            Map.entry(488, "Not Acceptable Here"), Map.entry(489, "Bad Event"), Map.entry(491, "Request Pending"),
            Map.entry(493, "Undecipherable"), Map.entry(500, "Server Internal Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Server Time-out"), Map.entry(505, "Version Not Supported"),
            Map.entry(513, "Message Too Large"), Map.entry(600, "Busy Everywhere"), Map.entry(603, "Decline"),
            Map.entry(604, "Does Not Exist Anywhere"), Map.entry(606, "Not Acceptable"));

    private final int status;
    private final String reason;

    SipResponse(int status, String reason, String version, Headers headers, byte[] body,
                MessageParser.Source source, SipParseException deferredError) {
        super(version, headers, body, source, deferredError);
        this.status = status;
        this.reason = reason;
    }

    /** A builder for a response with that status and its usual reason phrase. */
    public static Builder builder(int status) {
        return new Builder(status);
    }

    /**
     * A builder for a response to {@code request} (RFC 3261 section 8.2.6.2): the Via lines, From,
     * To, Call-ID and CSeq are copied as they are. A To tag, when needed, is the caller's to add.
     */
    public static Builder forRequest(SipRequest request, int status) {
        Builder b = new Builder(status);
        for (Header h : request.headers()) {
            if (h.is(HeaderNames.VIA) || h.is(HeaderNames.FROM) || h.is(HeaderNames.TO)
                    || h.is(HeaderNames.CALL_ID) || h.is(HeaderNames.CSEQ)) {
                b.headers.add(h);
            }
        }
        return b;
    }

    /** The usual reason phrase for a status code, or a generic one for its class. */
    public static String reasonPhrase(int status) {
        String r = REASONS.get(status);
        if (r != null) {
            return r;
        }
        return switch (status / 100) {
            case 1 -> "Progress";
            case 2 -> "OK";
            case 3 -> "Redirect";
            case 4 -> "Client Error";
            case 5 -> "Server Error";
            default -> "Global Failure";
        };
    }

    /** A builder that starts from this response (unchanged header lines keep their exact bytes). */
    public Builder toBuilder() {
        Builder b = new Builder(status);
        b.reason = reason;
        b.version = version;
        b.headers = headers.toBuilder();
        b.body = body;
        return b;
    }

    /** The status code, 100 to 699. */
    public int status() {
        return status;
    }

    /** The reason phrase as written (possibly empty). */
    public String reason() {
        return reason;
    }

    /** Whether this is a provisional (1xx) response. */
    public boolean isProvisional() {
        return status < 200;
    }

    /** Whether this is a success (2xx) response. */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Override
    public String startLine() {
        return version + " " + status + " " + reason;
    }

    @Override
    void validateStartLine() {
        // the status code was checked by the parser; nothing else on the status line matters
    }

    /** Builds a {@link SipResponse}; Content-Length is set from the body. */
    public static final class Builder extends SipMessage.Builder<Builder> {
        private final int status;
        private String reason;

        private Builder(int status) {
            if (status < 100 || status > 699) {
                throw new IllegalArgumentException("status must be 100..699, was " + status);
            }
            this.status = status;
        }

        /** The reason phrase (default: the usual one for the status). */
        public Builder reason(String reason) {
            Objects.requireNonNull(reason, "reason");
            if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("the reason phrase holds a line break");
            }
            this.reason = reason;
            return this;
        }

        /** The response. */
        public SipResponse build() {
            return new SipResponse(status, reason == null ? reasonPhrase(status) : reason, version,
                    headersWithLength(), body, null, null);
        }
    }
}
