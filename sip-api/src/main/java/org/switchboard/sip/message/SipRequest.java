package org.switchboard.sip.message;

import java.util.Objects;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.uri.Uri;

/** A SIP request: method, Request-URI, headers and body. Immutable; see {@link #builder} and {@link #toBuilder()}. */
public final class SipRequest extends SipMessage {

    private final String method;
    private final String requestUriText;
    private volatile Uri requestUri;

    SipRequest(String method, String requestUri, String version, Headers headers, byte[] body,
               MessageParser.Source source, SipParseException deferredError) {
        super(version, headers, body, source, deferredError);
        this.method = method;
        this.requestUriText = requestUri;
    }

    /** A builder for a request; the URI is checked when the request is built. */
    public static Builder builder(String method, String requestUri) {
        return new Builder(method, requestUri);
    }

    /** A builder for a request. */
    public static Builder builder(String method, Uri requestUri) {
        return new Builder(method, requestUri.toString());
    }

    /** A builder that starts from this request (unchanged header lines keep their exact bytes). */
    public Builder toBuilder() {
        Builder b = new Builder(method, requestUriText);
        b.version = version;
        b.headers = headers.toBuilder();
        b.body = body;
        return b;
    }

    /** The method, case preserved (methods are case-sensitive). */
    public String method() {
        return method;
    }

    /** Whether the method is the given one. */
    public boolean isMethod(String name) {
        return method.equals(name);
    }

    /** The Request-URI as written. */
    public String requestUriText() {
        return requestUriText;
    }

    /**
     * The Request-URI.
     *
     * @throws SipParseException when it is malformed
     */
    public Uri requestUri() {
        Uri u = requestUri;
        if (u == null) {
            try {
                requestUri = u = Uri.parse(requestUriText);
            } catch (SipParseException e) {
                throw new SipParseException("Request-URI", e.offset(), e.reason());
            }
        }
        return u;
    }

    @Override
    public String startLine() {
        return method + " " + requestUriText + " " + version;
    }

    @Override
    void validateStartLine() {
        requestUri();
        if (requestUri() instanceof org.switchboard.sip.uri.SipUri sip && !sip.headers().isEmpty()) {
            throw new SipParseException("Request-URI", requestUriText.indexOf('?'), "holds escaped headers");
        }
        if (!cseq().method().equals(method)) {
            throw new SipParseException("CSeq header", -1,
                    "method " + cseq().method() + " does not match the request method " + method);
        }
    }

    /** Builds a {@link SipRequest}; Content-Length is set from the body. */
    public static final class Builder extends SipMessage.Builder<Builder> {
        private final String method;
        private final String requestUri;

        private Builder(String method, String requestUri) {
            this.method = Objects.requireNonNull(method, "method");
            this.requestUri = Objects.requireNonNull(requestUri, "requestUri");
        }

        /**
         * The request.
         *
         * @throws SipParseException when the method is not a token or the Request-URI is malformed
         */
        public SipRequest build() {
            if (!Grammar.isToken(method, 0, method.length())) {
                throw new SipParseException("request method", 0, "'" + method + "' is not a token");
            }
            Uri.parse(requestUri);
            return new SipRequest(method, requestUri, version, headersWithLength(), body, null, null);
        }
    }
}
