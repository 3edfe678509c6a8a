package org.switchboard.sip.stack.ua;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.TransactionLayer;

/**
 * What the user agent answers before it looks at a request's meaning: the request checks of RFC 3261 section 8.2, and
 * how each of its responses is built (Server header, To tag). Immutable; called on event loops and timer threads alike.
 */
final class RequestChecks {

    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE";
    static final String SDP = "application/sdp";

    private static final Set<String> IMPLEMENTED = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS");
    private static final Set<String> IN_DIALOG_ONLY = Set.of("INFO", "UPDATE");
    private static final Set<String> KNOWN = Set.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER",
            "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");

    private final String product;
    private final boolean acceptsDtmfInfo;

    /** Checks for a user agent that names itself {@code product}; DTMF INFO bodies pass when a session handler takes them. */
    RequestChecks(String product, boolean acceptsDtmfInfo) {
        this.product = product;
        this.acceptsDtmfInfo = acceptsDtmfInfo;
    }

    /** The rejection of RFC 3261 section 8.2 for {@code request}, in the order the RFC gives them; empty when it passes. */
    Optional<SipResponse> check(SipRequest request) {
        if (!request.version().equalsIgnoreCase(SipMessage.SIP_2_0)) {
            return Optional.of(response(request, 505, Optional.empty()).build());
        }
        String method = request.method();
        if (!KNOWN.contains(method)) {
            return Optional.of(response(request, 501, Optional.empty()).addHeader(HeaderNames.ALLOW, ALLOW).build());
        }
        if (!IMPLEMENTED.contains(method) && !(IN_DIALOG_ONLY.contains(method) && request.to().tag().isPresent())) {
            return Optional.of(response(request, 405, Optional.empty()).addHeader(HeaderNames.ALLOW, ALLOW).build());
        }
        String scheme = request.requestUri().scheme();
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
            return Optional.of(response(request, 416, Optional.empty()).build());
        }
        List<String> required = request.headers().values(HeaderNames.REQUIRE);
        if (!required.isEmpty() && !method.equals("CANCEL") && !method.equals("ACK")) {
            return Optional.of(response(request, 420, Optional.empty())
                    .addHeader(HeaderNames.UNSUPPORTED, String.join(", ", required)).build());
        }
        if (request.bodyLength() > 0) {
            String type = request.contentType().map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse(SDP);
            boolean dtmfInfo = method.equals("INFO") && acceptsDtmfInfo
                    && (type.equals("application/dtmf-relay") || type.equals("application/dtmf"));
            if (!type.equals(SDP) && !dtmfInfo) {
                return Optional.of(response(request, 415, Optional.empty()).addHeader(HeaderNames.ACCEPT, SDP).build());
            }
        }
        if (method.equals("INVITE") && request.headers().contains(HeaderNames.ACCEPT) && !acceptsSdp(request)) {
            return Optional.of(response(request, 406, Optional.empty())
                    .addHeader("Warning", "399 switchboard \"only application/sdp can be answered\"").build());
        }
        return Optional.empty();
    }

    private static boolean acceptsSdp(SipRequest request) {
        for (String accept : request.headers().values(HeaderNames.ACCEPT)) {
            String type = accept.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (type.equals(SDP) || type.equals("application/*") || type.equals("*/*") || type.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A response to {@code request} with a To tag when given (or a fresh one for final responses that need it). */
    SipResponse.Builder response(SipRequest request, int status, Optional<String> tag) {
        SipResponse.Builder b = SipResponse.forRequest(request, status).addHeader(HeaderNames.SERVER, product);
        if (status > 100 && request.to().tag().isEmpty()) {
            b.setHeader(HeaderNames.TO, request.to().withTag(tag.orElseGet(() -> TransactionLayer.randomToken(10))).toString());
        }
        return b;
    }
}
