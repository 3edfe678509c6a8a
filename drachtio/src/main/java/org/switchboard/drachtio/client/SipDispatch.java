package org.switchboard.drachtio.client;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.message.SipMessage;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * Turns the frames the server sends on its own into {@link SipHandler} calls: the only place that knows where
 * a {@code sip} or {@code cdr:*} frame keeps its transaction, dialog and meta tokens (docs/drachtio.md).
 * Runs on the connection's call lanes, so one call's messages stay in order.
 */
final class SipDispatch implements DrachtioListener {

    private static final Logger LOG = LoggerFactory.getLogger(SipDispatch.class);

    private final SipHandler handler;

    SipDispatch(SipHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onFrame(DrachtioFrame frame) {
        throw new IllegalStateException("a typed listener needs its connection: DrachtioClient calls onFrame(client, frame)");
    }

    @Override
    public void onFrame(DrachtioClient client, DrachtioFrame frame) {
        String keyword = frame.keyword();
        if (keyword.startsWith("cdr:")) {
            cdr(frame).ifPresent(handler::onCdr);
            return;
        }
        if (!keyword.equals("sip") || frame.sipMessage().isEmpty()) {
            LOG.debug("DRC-101 frame without a SIP message ignored: {}", frame);
            return;
        }
        SipMessage message;
        try {
            message = SipMessage.parse(frame.sipMessage().get());
        } catch (SipParseException e) {
            LOG.warn("DRC-102 unreadable SIP message from {} dropped: {}", client, e.getMessage());
            return;
        }
        String transactionId = frame.transactionId();
        String dialogId = frame.dialogId();
        if (message instanceof SipResponse response) {
            handler.onResponse(new ReceivedResponse(transactionId, dialogId, response));
        } else {
            String source = frame.meta().map(m -> m.protocol() + "/" + m.address() + ":" + m.port()).orElse("");
            handler.onRequest(new ReceivedRequest(client, transactionId, dialogId, (SipRequest) message, source));
        }
    }

    @Override
    public void onDisconnect(DrachtioClient client, String reason) {
        handler.onDisconnect(client, reason);
    }

    /** A {@code cdr:*} frame: source, time and (but for attempts) the role or reason, then the SIP message. */
    static Optional<CdrEvent> cdr(DrachtioFrame frame) {
        CdrEvent.Type type;
        try {
            type = CdrEvent.Type.valueOf(frame.keyword().substring(4).toUpperCase(Locale.ROOT));
            Optional<SipMessage> message = frame.sipMessage().map(SipMessage::parse);
            return message.map(m -> new CdrEvent(type, frame.token(2), frame.token(3),
                    type == CdrEvent.Type.ATTEMPT ? "" : frame.token(4), m));
        } catch (IllegalArgumentException e) { // an unknown CDR type or an unreadable message (SipParseException)
            LOG.debug("DRC-103 unreadable CDR frame {}: {}", frame, e.getMessage());
            return Optional.empty();
        }
    }
}
