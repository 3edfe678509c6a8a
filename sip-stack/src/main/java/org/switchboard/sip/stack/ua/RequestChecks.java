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
 * The checks of RFC 3261 section 8.2 that any UAS makes whatever it implements, each giving the rejection (with a
 * To tag) when the request fails it: the SIP version (505), the Request-URI scheme (416), the extensions a
 * Require header asks for (420 with Unsupported) and, for an INVITE, whether its Accept header admits SDP (406).
 * Which methods and bodies a UAS handles is its own affair and not checked here.
 */
public final class RequestChecks {

    private static final String SDP = "application/sdp";

    private RequestChecks() {
    }

    /**
     * The first check {@code request} fails, in the RFC's order, as a response to complete and send.
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

    private static boolean acceptsSdp(SipRequest request) {
        for (String accept : request.headers().values(HeaderNames.ACCEPT)) {
            String type = accept.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (type.equals(SDP) || type.equals("application/*") || type.equals("*/*") || type.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static SipResponse.Builder rejection(SipRequest request, int status) {
        SipResponse.Builder b = SipResponse.forRequest(request, status);
        if (request.to().tag().isEmpty()) {
            b.setHeader(HeaderNames.TO, request.to().withTag(TransactionLayer.randomToken(10)).toString());
        }
        return b;
    }
}
