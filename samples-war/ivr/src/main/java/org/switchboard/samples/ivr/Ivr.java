package org.switchboard.samples.ivr;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.app.Invite;
import org.switchboard.sip.media.CollectResult;
import org.switchboard.sip.media.ConnectedCaller;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.MediaServers;
import org.switchboard.sip.media.PlayCollectOptions;
import org.switchboard.sip.media.RecordOptions;
import org.switchboard.sip.message.SipRequest;

/**
 * A voice menu: answers each call with a media server, welcomes the caller, collects four digits (RFC 4733 events
 * or in-band tones), says them back, records a message after a beep, plays it back and hangs up. The prompts are
 * spoken by the media server's flite engine, so the sample needs no sound files.
 *
 * <p>What the caller did is kept where a real application would keep it: the digits go to the caller in an
 * {@value #DIGITS_HEADER} header of the closing BYE, and the message is recorded on the media server as
 * {@code ${recordings_dir}/ivr-<digits>-<endpoint uuid>.wav} (its recordings folder).
 */
@ApplicationScoped
public class Ivr {

    /** The header of the BYE that carries the digits collected (empty when none were). */
    public static final String DIGITS_HEADER = "X-Digits";

    private static final Logger LOG = LoggerFactory.getLogger(Ivr.class);
    private static final String TTS = "flite";
    private static final String VOICE = "slt";
    private static final int DIGITS = 4;
    /** Digits pressed while the welcome is spoken are kept; this prompt only gives the caller a moment more. */
    private static final PlayCollectOptions COLLECT = PlayCollectOptions.builder("silence_stream://250")
            .digits(DIGITS, DIGITS)
            .timeout(Duration.ofSeconds(10))
            .digitTimeout(Duration.ofSeconds(5))
            .terminators("#")
            .tries(2)
            .build();
    /** Up to 10 s, ended early by 2 s below the silence threshold. */
    private static final RecordOptions MESSAGE = RecordOptions.builder()
            .beep(true)
            .timeLimit(Duration.ofSeconds(10))
            .silence(200, 2)
            .build();

    @Inject
    MediaServers media;

    void onInvite(@Observes @Invite SipRequest invite) {
        media.connectCaller(invite)
                .thenCompose(this::serve)
                .whenComplete((digits, error) -> {
                    if (error != null) {
                        // the caller hung up, or no media server could take the call (the caller was told)
                        LOG.debug("IVR call {} ended early: {}", invite.callId().orElse(""), error.toString());
                    } else {
                        LOG.debug("IVR call {} done, digits {}", invite.callId().orElse(""), digits);
                    }
                });
    }

    /** Runs the menu; completes with the digits once the BYE is sent. */
    private CompletionStage<String> serve(ConnectedCaller caller) {
        Endpoint endpoint = caller.endpoint();
        return endpoint.speak(TTS, VOICE, "Welcome to Switchboard. Please enter " + DIGITS + " digits.")
                .thenCompose(x -> endpoint.playCollect(COLLECT))
                .thenCompose(collected -> collected.digits().isEmpty()
                        ? endpoint.speak(TTS, VOICE, "No digits were entered. Goodbye.").thenApply(x -> "")
                        : messageAfter(endpoint, collected))
                .thenCompose(digits -> caller.dialog().destroy(Map.of(DIGITS_HEADER, digits)).thenApply(x -> digits));
    }

    /** Says the digits back, records a message and plays it; completes with the digits. */
    private static CompletionStage<String> messageAfter(Endpoint endpoint, CollectResult collected) {
        String digits = collected.digits();
        String file = "${recordings_dir}/ivr-" + digits + "-" + endpoint.uuid() + ".wav";
        return endpoint.speak(TTS, VOICE, "You entered " + String.join(", ", digits.split("")) + ". "
                        + "Please leave a message after the beep.")
                .thenCompose(x -> endpoint.record(file, MESSAGE))
                .thenCompose(recorded -> recorded.milliseconds() == 0
                        ? CompletableFuture.completedFuture(null)
                        : endpoint.speak(TTS, VOICE, "Your message was:").thenCompose(x -> endpoint.play(file)))
                .thenCompose(x -> endpoint.speak(TTS, VOICE, "Goodbye."))
                .thenApply(x -> digits);
    }
}
