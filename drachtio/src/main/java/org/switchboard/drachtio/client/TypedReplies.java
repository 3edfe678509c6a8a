package org.switchboard.drachtio.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.app.ProxyOptions;
import org.switchboard.sip.app.ProxyResult;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * Between the typed operations of {@link DrachtioClient} and the frames they travel in: the arguments of a
 * {@code proxy} frame, and the values read from the server's replies. No token position leaves this module.
 */
final class TypedReplies {

    private static final Logger LOG = LoggerFactory.getLogger(TypedReplies.class);

    private TypedReplies() {
    }

    /** The arguments of a {@code proxy} frame for the pending request of {@code transactionId}. */
    static List<String> proxyArguments(String transactionId, SipRequest request, ProxyOptions options) {
        List<String> destinations = options.destinations().isEmpty() ? List.of(request.requestUriText()) : options.destinations();
        List<String> args = new ArrayList<>(List.of(transactionId, options.recordRoute() ? "remainInDialog" : "", "fullResponse",
                options.followRedirects() ? "followRedirects" : "", options.simultaneous() ? "simultaneous" : "serial",
                options.provisionalTimeout().map(d -> d.toMillis() + "ms").orElse(""), ""));
        args.addAll(destinations);
        return args;
    }

    /** The server's report of a message it sent for us: its ids and, when readable, the message as sent. */
    static SentMessage sent(DrachtioFrame reply) {
        Optional<SipMessage> message;
        try {
            message = reply.sipMessage().map(SipMessage::parse);
        } catch (SipParseException e) {
            LOG.debug("DRC-004 unreadable copy of a sent message: {}", e.getMessage());
            message = Optional.empty();
        }
        return new SentMessage(reply.transactionId(), reply.dialogId(), message);
    }

    /** What a proxy operation came to: every final response reported, and the best of them (a 2xx, a 6xx, the lowest class). */
    static ProxyResult proxyResult(List<DrachtioFrame> frames) {
        List<SipResponse> responses = new ArrayList<>();
        for (DrachtioFrame f : frames) {
            if (f.isContinued() && f.sipMessage().isPresent()) {
                try {
                    if (SipMessage.parse(f.sipMessage().get()) instanceof SipResponse r) {
                        responses.add(r);
                    }
                } catch (SipParseException e) {
                    LOG.debug("DRC-005 unreadable proxy report: {}", e.getMessage());
                }
            }
        }
        Optional<SipResponse> best = responses.stream().filter(SipResponse::isSuccess).findFirst()
                .or(() -> responses.stream().filter(r -> r.status() >= 600).findFirst())
                .or(() -> responses.stream().min(Comparator.comparingInt(r -> r.status() / 100)));
        int status = best.map(SipResponse::status).orElse(0);
        return new ProxyResult(status / 100 == 2, status, best, responses);
    }
}
