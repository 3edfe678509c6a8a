package org.switchboard.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;

/**
 * One call of a {@link SipPhone}, placed or received: its SIP dialog and its RTP session. Operations that wait for
 * the peer block for at most the phone's {@linkplain SipPhone.Builder#timeout timeout}, or the deadline given, and
 * fail with an {@link AssertionError} that shows the call's SIP ladder. Audio plays on the media clock: the
 * {@code play} methods return at once and {@link #awaitPlayed} waits for the end. Thread-safe.
 */
public interface Call {

    /** Where a call is. */
    enum State {
        /** Placed: the INVITE is out, no final response yet. */
        CALLING,
        /** Received: ringing (180 sent), not answered yet. */
        RINGING,
        /** Answered (200 sent or received); stays so across re-INVITEs. */
        ANSWERED,
        /** Over. */
        ENDED
    }

    /** How a call ended. */
    enum End {
        /** This phone sent BYE. */
        LOCAL_BYE,
        /** The peer sent BYE. */
        REMOTE_BYE,
        /** The INVITE was cancelled before an answer (by this phone or by the caller). */
        CANCELLED,
        /** The INVITE got a final response other than 2xx, or this phone rejected it. */
        REJECTED,
        /** The INVITE timed out or could not be sent. */
        FAILED
    }

    /** The Call-ID. */
    String callId();

    /** The state now. */
    State state();

    /** The initial INVITE, as sent or received. */
    SipRequest invite();

    /** Waits for the final response to the INVITE this phone sent and returns its status (200, 486, 487...). */
    int awaitFinalStatus(Duration within);

    /** Waits until this placed call is answered (200 received and ACKed); fails with the status it got instead. */
    void awaitAnswered(Duration within);

    /** Answers a received call (200 with the SDP answer) and waits for the ACK. */
    void answer();

    /** Rejects a received call that is still ringing with {@code status} (4xx-6xx). */
    void reject(int status);

    /** Cancels this placed call before it is answered and waits for the INVITE's 487. */
    void cancel();

    /** Sends BYE and waits for its final response. */
    void hangUp();

    /** Waits until the call ends (the peer's BYE, a CANCEL, a rejection) and says how. */
    End awaitEnded(Duration within);

    /** Puts the peer on hold: a re-INVITE offering {@code sendonly}, so the peer stops sending; waits for its 200. */
    void hold();

    /** Resumes from hold: a re-INVITE offering {@code sendrecv}; waits for its 200. */
    void unhold();

    /** Sends an in-dialog request (INFO, MESSAGE, ...) with a body (empty content type: none) and returns its final response. */
    SipResponse request(String method, Map<String, String> headers, String contentType, String body);

    /** Sends INFO with {@code body} of {@code contentType} and returns its final response. */
    SipResponse info(String contentType, String body);

    /** Plays a WAV file (any rate, mono or stereo: converted to 8 kHz mono) instead of what plays now. */
    void play(Path wav);

    /** Plays a tone of {@code hz} for {@code length} (at -10 dB of full scale) instead of what plays now. */
    void playTone(double hz, Duration length);

    /** Plays silence for {@code length} instead of what plays now. */
    void playSilence(Duration length);

    /** Plays {@code digits} as DTMF tones inside the audio, 100 ms each with 100 ms pauses. */
    void playInbandDigits(String digits);

    /** Stops what plays; silence is sent from then on. */
    void stopPlaying();

    /** Waits until what was last played has been sent whole. */
    void awaitPlayed(Duration within);

    /** Sends {@code digits} as RFC 4733 telephone events of 100 ms each (the audio pauses meanwhile). */
    void sendDigits(String digits);

    /** What this call hears. */
    Ear ear();

    /** The SIP ladder of this call: every message sent or received, with its time and first line. */
    String ladder();
}
