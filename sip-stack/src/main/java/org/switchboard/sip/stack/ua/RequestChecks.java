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
 * What a UAS answers before it looks at a request's meaning: the request checks of RFC 3261 section 8.2. The checks
 * every UAS makes whatever it implements (version 505, Request-URI scheme 416, Require 420 with Unsupported, an
 * INVITE's Accept 406) are {@link #firstFailed}, public for other UAS such as the drachtio server; an instance adds
 * what this user agent handles (methods 501/405, bodies 415) and builds its responses (Server header, To tag).
 * Immutable; called on event loops and timer threads alike.
 */
public final class RequestChecks {

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
            return firstFailed(request, Set.of()).map(this::withServer);
        }
        String method = request.method();
        if (!KNOWN.contains(method)) {
            return Optional.of(response(request, 501, Optional.empty()).addHeader(HeaderNames.ALLOW, ALLOW).build());
        }
        if (!IMPLEMENTED.contains(method) && !(IN_DIALOG_ONLY.contains(method) && request.to().tag().isPresent())) {
            return Optional.of(response(request, 405, Optional.empty()).addHeader(HeaderNames.ALLOW, ALLOW).build());
        }
        Optional<SipResponse> failed = firstFailed(request, Set.of()).map(this::withServer);
        if (failed.isPresent() && failed.get().status() != 406) {
            return failed;
        }
        if (request.bodyLength() > 0) {
            String type = request.contentType().map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse(SDP);
            boolean dtmfInfo = method.equals("INFO") && acceptsDtmfInfo
                    && (type.equals("application/dtmf-relay") || type.equals("application/dtmf"));
            if (!type.equals(SDP) && !dtmfInfo) {
                return Optional.of(response(request, 415, Optional.empty()).addHeader(HeaderNames.ACCEPT, SDP).build());
            }
        }
        return failed; // 406 comes after 415
    }

    /**
     * The first check every UAS makes that {@code request} fails, in the RFC's order, as a response (with a To tag)
     * to complete and send.
     *
     * @param supported the option tags this UAS supports (lower case); a Require naming any other is refused
     */
    public static Optional<SipResponse.Builder> firstFailed(SipRequest request, Set<String> supported) {
        if (!request.version().equalsIgnoreCase(SipMessage.SIP_2_0)) {
            return Optional.of(rejection(request, 505));
        }
        String scheme = request.requestUri().scheme();
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
            return Optional.of(rejection(request, 416));
        }
        String method = request.method();
        if (!method.equals("CANCEL") && !method.equals("ACK")) {
            List<String> unsupported = request.headers().values(HeaderNames.REQUIRE).stream()
                    .filter(tag -> !supported.contains(tag.strip().toLowerCase(Locale.ROOT))).toList();
            if (!unsupported.isEmpty()) {
                return Optional.of(rejection(request, 420).addHeader(HeaderNames.UNSUPPORTED, String.join(", ", unsupported)));
            }
        }
        if (method.equals("INVITE") && request.headers().contains(HeaderNames.ACCEPT) && !acceptsSdp(request)) {
            return Optional.of(rejection(request, 406)
                    .addHeader("Warning", "399 switchboard \"only application/sdp can be answered\""));
        }
        return Optional.empty();
    }

    private SipResponse withServer(SipResponse.Builder rejection) {
        return rejection.addHeader(HeaderNames.SERVER, product).build();
    }

    private static SipResponse.Builder rejection(SipRequest request, int status) {
        SipResponse.Builder b = SipResponse.forRequest(request, status);
        if (request.to().tag().isEmpty()) {
            b.setHeader(HeaderNames.TO, request.to().withTag(TransactionLayer.randomToken(10)).toString());
        }
        return b;
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
