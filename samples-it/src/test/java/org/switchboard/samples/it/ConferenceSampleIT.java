package org.switchboard.samples.it;

import static org.switchboard.samples.it.Samples.WAIT;

import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.arquillian.Phones;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.testkit.Call;
import org.switchboard.testkit.SipPhone;

/**
 * The conference sample with three phones in one room: music for the first while alone, then each one speaks in
 * turn (a tone of its own) and the two others hear it; {@code *6} mutes a caller, who is then not heard, and
 * {@code *6} again unmutes it.
 */
@ExtendWith(ArquillianExtension.class)
class ConferenceSampleIT {

    /** The lowest note of the sample's default hold music. */
    private static final double MUSIC = 523;
    private static final Duration TALK = Duration.ofSeconds(20);

    @Deployment
    static WebArchive conference() {
        return Samples.war("conference");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    Phones phones;

    @Test
    void threeCallersHearEachOtherAndAMutedOneIsNotHeardUntilUnmuted() {
        Call alice = join("alice");
        alice.ear().assertTone(MUSIC, WAIT);
        Call bob = join("bob");
        Call carol = join("carol");
        List<Call> all = List.of(alice, bob, carol);
        double[] voices = {440, 700, 1100};

        for (int speaker = 0; speaker < all.size(); speaker++) {
            all.forEach(c -> c.ear().clear());
            all.get(speaker).playTone(voices[speaker], TALK);
            for (int listener = 0; listener < all.size(); listener++) {
                if (listener != speaker) {
                    all.get(listener).ear().assertTone(voices[speaker], WAIT);
                }
            }
            all.get(speaker).stopPlaying();
        }

        alice.playTone(voices[0], Duration.ofSeconds(60));
        bob.ear().assertTone(voices[0], WAIT);
        alice.sendDigits("*6");
        bob.ear().assertSilence(Duration.ofSeconds(2), Duration.ofSeconds(10)); // alice's tone goes on, muted
        bob.ear().clear();
        alice.sendDigits("*6");
        bob.ear().assertTone(voices[0], WAIT); // and is heard again once unmuted
        alice.stopPlaying();

        all.forEach(Call::hangUp);
        all.forEach(c -> c.awaitEnded(WAIT));
    }

    private Call join(String user) {
        return phones.phone(SipPhone.builder().user(user).timeout(WAIT)).call(switchboard.uri("conf-samples-it"));
    }
}
