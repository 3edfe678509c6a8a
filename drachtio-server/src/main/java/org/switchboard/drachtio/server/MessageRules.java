package org.switchboard.drachtio.server;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.message.HeaderNames;
import org.switchboard.sip.message.Headers;
import org.switchboard.sip.message.NameAddress;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.ClientTransaction;
import org.switchboard.sip.stack.transaction.ResponseListener;
import org.switchboard.sip.stack.transaction.ServerTransaction;
import org.switchboard.sip.stack.transaction.TransactionLayer;
import org.switchboard.sip.stack.transport.TransportError;

/**
 * How the server completes SIP messages it sends on its own or on an app's behalf: To tags of its responses, the
 * headers an app may not set, the SDP Content-Type default, 100rel, Route and Max-Forwards when forwarding.
 * Stateless.
 */
final class MessageRules {

    private static final Logger LOG = LoggerFactory.getLogger(MessageRules.class);

    /** Headers of a response the server takes from the request, whatever the app wrote. */
    static final Set<String> RESPONSE_OWNED = Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID,
            HeaderNames.CSEQ);

    /** For requests whose responses nobody waits for (CANCELs, the BYE ending a second fork). */
    static final ResponseListener IGNORED = new ResponseListener() {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
        }

        @Override
        public void onTransportError(ClientTransaction transaction, TransportError error) {
        }
    };

    private static final Set<String> ADDRESS_HEADERS = Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CONTACT,
            HeaderNames.ROUTE, HeaderNames.RECORD_ROUTE);

    private MessageRules() {
    }

    /** Sends a final response the server decides on its own; returns it. */
    static SipResponse respond(ServerTransaction tx, int status, String localTag) {
        SipResponse response = withToTag(SipResponse.forRequest(tx.request(), status), tx.request(), localTag).build();
        try {
            tx.respond(response);
        } catch (IllegalStateException e) {
            LOG.debug("{} already answered: {}", tx.request().method(), e.getMessage());
        }
        return response;
    }

    static SipResponse.Builder withToTag(SipResponse.Builder b, SipRequest request, String tag) {
        if (request.to().tag().isEmpty() && !request.isMethod("CANCEL")) {
            b.setHeader(HeaderNames.TO, request.to().withTag(tag != null ? tag : TransactionLayer.randomToken(12)).toString());
        }
        return b;
    }

    /**
     * A From, To, Contact, Route or Record-Route value as drachtio-server writes it: each address in name-addr form
     * ({@code <sip:...>}), since some peers only take an address from inside angle brackets. Other headers, a
     * wildcard Contact and values that do not parse are left as written (the stack's checks report the latter).
     */
    static String asNameAddr(String name, String value) {
        if (!ADDRESS_HEADERS.contains(name) || value.strip().equals("*")) {
            return value;
        }
        try {
            return Headers.builder().add(name, value).build().values(name).stream()
                    .map(NameAddress::parse)
                    .map(a -> NameAddress.of(a.displayName(), a.uri(), a.parameters()).toString())
                    .collect(Collectors.joining(", "));
        } catch (SipParseException e) {
            return value;
        }
    }

    static Optional<String> tagOf(String nameAddress) {
        try {
            return NameAddress.parse(nameAddress).tag();
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    /** The body, with Content-Type {@code application/sdp} when the app left it out of an SDP body. */
    static void body(SipMessage.Builder<?> b, AppSipMessage msg) {
        if (!msg.hasBody()) {
            return;
        }
        b.body(msg.body());
        if (msg.header(HeaderNames.CONTENT_TYPE).isEmpty() && isSdp(msg.body())) {
            b.setHeader(HeaderNames.CONTENT_TYPE, "application/sdp");
        }
    }

    static boolean isSdp(byte[] body) {
        return body.length >= 3 && body[0] == 'v' && body[1] == '=' && body[2] == '0';
    }

    static boolean offers100rel(SipRequest request) {
        for (String name : List.of(HeaderNames.SUPPORTED, HeaderNames.REQUIRE)) {
            for (String v : request.headers().values(name)) {
                if (v.strip().equalsIgnoreCase("100rel")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The request with its top Route removed and Max-Forwards decremented (at most 70 left). */
    static SipRequest withoutTopRoute(SipRequest request) {
        int maxForwards = request.maxForwards().orElse(71);
        return request.toBuilder().removeFirstHeader(HeaderNames.ROUTE)
                .setHeader(HeaderNames.MAX_FORWARDS, Integer.toString(Math.max(0, Math.min(maxForwards, 71) - 1))).build();
    }
}
