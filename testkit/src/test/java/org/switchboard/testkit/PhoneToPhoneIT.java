package org.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;

/** Two phones on loopback call each other, hear each other's tones, exchange digits, hold, resume and hang up. */
class PhoneToPhoneIT {

    static final Duration WAIT = Duration.ofSeconds(5);
    SipPhone alice;
    SipPhone bob;

    void start(SipTransport transport) {
        alice = SipPhone.builder().transport(transport).user("alice").build();
        bob = SipPhone.builder().transport(transport).user("bob").build();
    }

    @AfterEach
    void close() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void callHearDigitsHoldResumeAndHangUp(SipTransport transport) {
        start(transport);
        assertThat(bob.uri()).endsWith(transport == SipTransport.TCP ? ";transport=tcp" : ":" + bob.port());
        Call outgoing = alice.dial(bob.uri(), Map.of("X-Test", "hello"));
        Call incoming = bob.awaitCall(WAIT);
        assertThat(incoming.state()).isEqualTo(Call.State.RINGING);
        incoming.answer();
        outgoing.awaitAnswered(WAIT);
        assertThat(outgoing.state()).isEqualTo(Call.State.ANSWERED);
        bob.assertReceived("INVITE", Map.of("X-Test", "hello", "Content-Type", "application/sdp"), WAIT);

        outgoing.playTone(440, Duration.ofSeconds(30));
        incoming.playTone(880, Duration.ofSeconds(30));
        incoming.ear().assertTone(440, WAIT);
        outgoing.ear().assertTone(880, WAIT);

        outgoing.sendDigits("123#");
        incoming.ear().assertDigits("123#", WAIT);
        incoming.sendDigits("9*");
        outgoing.ear().assertDigits("9*", WAIT);

        outgoing.hold(); // alice offers sendonly: bob stops sending, alice still does
        outgoing.ear().assertSilence(Duration.ofMillis(500), WAIT);
        incoming.ear().clear();
        incoming.ear().assertTone(440, WAIT);
        outgoing.unhold();
        outgoing.ear().clear();
        outgoing.ear().assertTone(880, WAIT);

        outgoing.hangUp();
        assertThat(incoming.awaitEnded(WAIT)).isEqualTo(Call.End.REMOTE_BYE);
        assertThat(outgoing.state()).isEqualTo(Call.State.ENDED);
        assertThat(outgoing.ladder()).contains("INVITE " + bob.uri()).contains("SIP/2.0 180 Ringing")
                .contains("SIP/2.0 200 OK").contains("ACK ").contains("BYE ");
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void cancelRejectAndTheCalleeHangsUp(SipTransport transport) {
        start(transport);
        Call cancelled = alice.dial(bob.uri(), Map.of());
        Call ringing = bob.awaitCall(WAIT);
        cancelled.cancel();
        assertThat(ringing.awaitEnded(WAIT)).isEqualTo(Call.End.CANCELLED);
        assertThat(cancelled.awaitEnded(WAIT)).isEqualTo(Call.End.CANCELLED);

        Call rejected = alice.dial(bob.uri(), Map.of());
        bob.awaitCall(WAIT).reject(486);
        assertThat(rejected.awaitFinalStatus(WAIT)).isEqualTo(486);
        assertThat(rejected.awaitEnded(WAIT)).isEqualTo(Call.End.REJECTED);

        Call answered = alice.dial(bob.uri(), Map.of());
        Call callee = bob.awaitCall(WAIT);
        callee.answer();
        answered.awaitAnswered(WAIT);
        callee.hangUp();
        assertThat(answered.awaitEnded(WAIT)).isEqualTo(Call.End.REMOTE_BYE);
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void inbandDigitsSpeechAndSilenceAreHeard(SipTransport transport, @TempDir Path folder) throws Exception {
        alice = SipPhone.builder().transport(transport).user("alice").build();
        bob = SipPhone.builder().transport(transport).user("bob").autoAnswer(true).build();
        Call call = alice.call(bob.uri());
        Call answered = bob.awaitCall(WAIT);
        assertThat(answered.state()).isEqualTo(Call.State.ANSWERED);

        call.playInbandDigits("159#");
        answered.ear().assertInbandDigits("159#", WAIT);
        call.awaitPlayed(WAIT);
        assertThat(answered.ear().digits()).as("no RFC 4733 events for in-band digits").isEmpty();
        Path heard = folder.resolve("heard.wav");
        answered.ear().save(heard);
        short[] saved = Wav.read(heard).samples();
        assertThat(org.switchboard.testkit.audio.InbandDtmf.detect(saved, 0, saved.length)).isEqualTo("159#");

        answered.ear().clear();
        Path words = folder.resolve("words.wav");
        Wav.write(words, Audio.of(8000, 1, words(8, 150)));
        call.play(words);
        answered.ear().assertSpeech(Duration.ofMillis(2000), WAIT);
        call.awaitPlayed(WAIT);
        answered.ear().assertSilence(Duration.ofMillis(500), WAIT);
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void messageOptionsAndInfo(SipTransport transport) {
        start(transport);
        assertThat(alice.message(bob.uri(), "hello bob").status()).isEqualTo(200);
        assertThat(bob.assertReceived("MESSAGE", Map.of("Content-Type", "text/plain"), WAIT).bodyAsString())
                .isEqualTo("hello bob");
        assertThat(alice.options(bob.uri()).header("Allow")).hasValueSatisfying(a -> assertThat(a).contains("INVITE"));

        Call call = alice.dial(bob.uri(), Map.of());
        bob.awaitCall(WAIT).answer();
        call.awaitAnswered(WAIT);
        assertThat(call.info("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n").status()).isEqualTo(200);
        bob.assertReceived("INFO", Map.of("Content-Type", "application/dtmf-relay"), WAIT);
        bob.handle("MESSAGE", request -> org.switchboard.sip.message.SipResponse.forRequest(request, 488).build());
        assertThat(alice.message(bob.uri(), "refused").status()).isEqualTo(488);
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void aFailedAssertionSaysWhatWasHeardWithTheLadder(SipTransport transport) {
        start(transport);
        Call call = alice.dial(bob.uri(), Map.of());
        Call callee = bob.awaitCall(WAIT);
        callee.answer();
        call.awaitAnswered(WAIT);
        call.playTone(440, Duration.ofSeconds(10));
        callee.ear().assertTone(440, WAIT);
        assertThatThrownBy(() -> callee.ear().assertTone(1000, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not hear a 1000.0 Hz tone within 300 ms")
                .hasMessageContaining("440 Hz (amplitude")
                .hasMessageContaining("SIP ladder of bob")
                .hasMessageContaining("<-- ")
                .hasMessageContaining("INVITE " + bob.uri());
        assertThatThrownBy(() -> callee.ear().assertDigits("7", Duration.ofMillis(200)))
                .hasMessageContaining("RFC 4733 digits ''");
        assertThatThrownBy(() -> bob.assertReceived("MESSAGE", Map.of(), Duration.ofMillis(100)))
                .hasMessageContaining("received instead:").hasMessageContaining("INVITE ");
    }

    /** Speech-like audio: {@code count} words of 250 ms (noise under a rising and falling envelope) with pauses. */
    static short[] words(int count, int pauseMillis) {
        Random random = new Random(11);
        int word = 2000;
        int pause = pauseMillis * 8;
        short[] out = new short[count * (word + pause)];
        for (int w = 0; w < count; w++) {
            for (int i = 0; i < word; i++) {
                out[w * (word + pause) + i] = (short) (random.nextGaussian() * 4000 * Math.sin(Math.PI * i / word));
            }
        }
        return out;
    }
}
