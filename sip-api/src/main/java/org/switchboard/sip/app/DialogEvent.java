package org.switchboard.sip.app;

import java.util.Optional;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * Something happened in a {@link Dialog}: {@code @Observes DialogEvent event}. For events that carry a
 * request, an observer or listener may {@link #respond}; when none does, the container answers 200 (with
 * the local SDP for a re-INVITE) after the last one returned.
 */
public interface DialogEvent {

    /** What happened. */
    enum Type {
        /** The dialog ended (BYE either way, an unsolicited BYE from the server, or the subscription ended). */
        DESTROY,
        /** A re-INVITE or UPDATE with new SDP arrived. */
        MODIFY,
        /** A re-INVITE or UPDATE without a change of SDP (session refresh). */
        REFRESH,
        /** INFO. */
        INFO,
        /** NOTIFY. */
        NOTIFY,
        /** REFER. */
        REFER,
        /** UPDATE without SDP. */
        UPDATE,
        /** MESSAGE. */
        MESSAGE,
        /** OPTIONS inside the dialog. */
        OPTIONS,
        /** A SUBSCRIBE refreshing a subscription. */
        SUBSCRIBE,
        /** The ACK to a 2xx this side sent. */
        ACK
    }

    /** What happened. */
    Type type();

    /** The dialog. */
    Dialog dialog();

    /** The request behind the event, when there is one (none for a destroy this side caused). */
    Optional<SipRequest> request();

    /**
     * For DESTROY: why, e.g. {@code BYE}, {@code ACK timeout}, {@code Session timer expired}, {@code local}, or
     * {@code max duration} when the container ended a call with no activity for its {@code call.max-duration}.
     */
    String reason();

    /** Answers the event's request; only the first answer counts. Throws if the event carries no request to answer. */
    void respond(SipResponse response);

    /** Whether {@link #respond} was called. */
    boolean isAnswered();
}
