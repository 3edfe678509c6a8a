package org.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example of docs/testkit.md, compiled and run as it is written there. */
class ExampleIT {

    @Test
    void aliceCallsBobTheyHearEachOtherAndBobHearsHerDigits() {
        Duration wait = Duration.ofSeconds(5);
        try (SipPhone alice = SipPhone.builder().user("alice").build();
             SipPhone bob = SipPhone.builder().user("bob").autoAnswer(true).build()) {
            Call call = alice.call(bob.uri());              // INVITE with PCMU, PCMA, telephone-event; 200; ACK
            Call answered = bob.awaitCall(wait);

            call.playTone(440, Duration.ofSeconds(10));       // G.711 RTP, 20 ms packets on the media clock
            answered.ear().assertTone(440, wait);             // Goertzel over what bob heard
            call.sendDigits("42#");                           // RFC 4733 events
            answered.ear().assertDigits("42#", wait);

            call.hangUp();                                    // BYE, 200
            assertThat(answered.awaitEnded(wait)).isEqualTo(Call.End.REMOTE_BYE);
        }
    }
}
