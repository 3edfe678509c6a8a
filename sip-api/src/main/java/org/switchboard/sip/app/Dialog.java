package org.switchboard.sip.app;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.switchboard.sip.message.SipResponse;

/**
 * An established SIP dialog (RFC 3261 section 12), made by {@link Srf#createUas}, {@link Srf#createUac} or
 * {@link Srf#createB2bua}. Events in it are fired as {@link DialogEvent}s to the application's observers and
 * to the listeners added here, one event at a time per call.
 */
public interface Dialog {

    /** Which side created the dialog. */
    enum Role { UAS, UAC }

    /** {@code <Call-ID>;from-tag=<tag>}: the identifier drachtio uses. */
    String id();

    /** The Call-ID. */
    String callId();

    /** UAS or UAC. */
    Role role();

    /** The method that created the dialog: INVITE or SUBSCRIBE. */
    String method();

    /** The SDP this side last sent, empty if none. */
    String localSdp();

    /** The SDP the peer last sent, empty if none. */
    String remoteSdp();

    /** False once the dialog ended. */
    boolean isActive();

    /** Completes with the destroy event when the dialog ends, whoever ended it. */
    CompletionStage<DialogEvent> destroyed();

    /** Ends the dialog with BYE (or NOTIFY terminated for a subscription); completes when it is sent. */
    default CompletionStage<Void> destroy() {
        return destroy(Map.of());
    }

    /** Ends the dialog, adding {@code headers} to the BYE. */
    CompletionStage<Void> destroy(Map<String, String> headers);

    /**
     * Sends a re-INVITE with {@code sdp} and completes with the 2xx once ACKed; concurrent calls run one
     * after another. A failure response completes it with {@link SipError} and leaves the session as it was.
     */
    CompletionStage<SipResponse> modify(String sdp);

    /** Puts the peer on hold: a re-INVITE with the local SDP marked {@code a=sendonly}. */
    CompletionStage<SipResponse> hold();

    /** Takes the peer off hold: a re-INVITE with the local SDP marked {@code a=sendrecv}. */
    CompletionStage<SipResponse> unhold();

    /** Sends {@code method} in the dialog (INFO, NOTIFY, REFER, MESSAGE, UPDATE, ...) and completes with the final response. */
    CompletionStage<SipResponse> request(String method, Map<String, String> headers, String contentType, String body);

    /** Adds a listener for this dialog's events; it runs after the application's observers. */
    void addListener(Consumer<DialogEvent> listener);
}
