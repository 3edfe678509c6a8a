package org.switchboard.samples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.samples.it.Samples.WAIT;

import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.arquillian.Phones;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.testkit.Call;
import org.switchboard.testkit.Ear;
import org.switchboard.testkit.SipPhone;

/**
 * The IVR sample on the container's embedded media server, called as a person would: it hears the welcome, keys four
 * digits, hears them said back and the beep, leaves a message (a tone, so that its playback can be recognised), hears
 * that message played back to it, and gets the closing BYE with the digits.
 */
@ExtendWith(ArquillianExtension.class)
class IvrSampleIT {

    private static final double BEEP = 1000;
    private static final double MESSAGE = 600;

    @Deployment
    static WebArchive ivr() {
        return Samples.war("ivr");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    Phones phones;

    @Test
    void theCallerIsWelcomedKeysDigitsHearsThemBackAndHearsItsMessagePlayedBack() {
        SipPhone phone = phones.phone(SipPhone.builder().user("caller").timeout(WAIT));
        Call call = phone.call(switchboard.uri("ivr"));
        Ear ear = call.ear();
        ear.assertSpeech(Duration.ofSeconds(1), WAIT);

        ear.clear();
        call.sendDigits("1357");
        ear.assertSpeech(Duration.ofSeconds(1), WAIT); // "You entered 1, 3, 5, 7. Please leave a message after the beep."
        ear.assertTone(BEEP, WAIT);

        ear.clear();
        call.playTone(MESSAGE, Duration.ofSeconds(2)); // then nothing: the recording stops after 2 s of silence
        ear.assertTone(MESSAGE, Duration.ofSeconds(40)); // "Your message was:" and the recording

        assertThat(call.awaitEnded(WAIT)).isEqualTo(Call.End.REMOTE_BYE);
        phone.assertReceived("BYE", Map.of("X-Digits", "1357"), WAIT);
    }
}
