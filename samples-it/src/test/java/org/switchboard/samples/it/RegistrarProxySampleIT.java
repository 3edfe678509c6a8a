package org.switchboard.samples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.switchboard.testkit.SipPhone;

/** The registrar and forking proxy sample: digest-authenticated REGISTER, calls proxied to every registered phone. */
@ExtendWith(ArquillianExtension.class)
class RegistrarProxySampleIT {

    private static final Duration REGISTRATION = Duration.ofMinutes(5);

    @Deployment
    static WebArchive registrarProxy() {
        return Samples.war("registrar-proxy");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    Phones phones;

    @Test
    void aRegisteredUserIsCalledThroughTheProxyAndHangsUp() {
        SipPhone bob = phones.phone(SipPhone.builder().user("bob").credentials("bob", "builder").autoAnswer(true));
        assertThat(bob.register(Samples.registrar(switchboard), REGISTRATION).status()).isEqualTo(200);
        SipPhone alice = phones.phone("alice");

        Call call = alice.call(switchboard.uri("bob"));
        Call answered = bob.awaitCall(WAIT);
        call.playTone(700, Duration.ofSeconds(5));
        answered.ear().assertTone(700, WAIT);
        answered.playTone(1100, Duration.ofSeconds(5));
        call.ear().assertTone(1100, WAIT);

        answered.hangUp();
        assertThat(call.awaitEnded(WAIT)).as("bob's BYE, along the recorded route").isEqualTo(Call.End.REMOTE_BYE);
        bob.register(Samples.registrar(switchboard), Duration.ZERO);
    }

    @Test
    void aCallForksToEveryPhoneOfTheUserAndTheFirstAnswerWins() {
        SipPhone desk = phones.phone(SipPhone.builder().user("bob").credentials("bob", "builder"));
        SipPhone mobile = phones.phone(SipPhone.builder().user("bob").credentials("bob", "builder"));
        desk.register(Samples.registrar(switchboard), REGISTRATION);
        mobile.register(Samples.registrar(switchboard), REGISTRATION);

        Call call = phones.phone("alice").dial(switchboard.uri("bob"), Map.of());
        Call atDesk = desk.awaitCall(WAIT);
        Call onMobile = mobile.awaitCall(WAIT);
        onMobile.answer();
        call.awaitAnswered(WAIT);

        assertThat(atDesk.awaitEnded(WAIT)).as("the other branch is cancelled").isEqualTo(Call.End.CANCELLED);
        call.hangUp();
        assertThat(onMobile.awaitEnded(WAIT)).isEqualTo(Call.End.REMOTE_BYE);
        desk.register(Samples.registrar(switchboard), Duration.ZERO);
        mobile.register(Samples.registrar(switchboard), Duration.ZERO);
    }

    @Test
    void aWrongPasswordIsRefusedAndAnUnknownUserIsNotFound() {
        SipPhone mallory = phones.phone(SipPhone.builder().user("alice").credentials("alice", "guess"));
        assertThatThrownBy(() -> mallory.register(Samples.registrar(switchboard), REGISTRATION))
                .hasMessageContaining("401");

        Call call = phones.phone("alice").dial(switchboard.uri("carol"), Map.of());
        assertThat(call.awaitFinalStatus(WAIT)).as("no contact registered for carol").isEqualTo(480);
    }
}
