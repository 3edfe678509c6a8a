package org.switchboard.samples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.samples.it.Samples.WAIT;

import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.testkit.Call;
import org.switchboard.testkit.SipPhone;

/**
 * The B2BUA sample bridging a caller to two destinations in turn: both are phones of this test, named to the sample
 * by its system property before its bean first reads it (at the first call).
 */
@ExtendWith(ArquillianExtension.class)
class B2buaSampleIT {

    private static final SipPhone FIRST = SipPhone.builder().user("first").build();
    private static final SipPhone SECOND = SipPhone.builder().user("second").build();

    static {
        System.setProperty("switchboard.samples.b2bua.targets",
                "127.0.0.1:" + FIRST.port() + ",127.0.0.1:" + SECOND.port());
    }

    @Deployment
    static WebArchive b2bua() {
        return Samples.war("b2bua");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    SipPhone caller;

    @AfterAll
    static void closeDestinations() {
        FIRST.close();
        SECOND.close();
        System.clearProperty("switchboard.samples.b2bua.targets");
    }

    @Test
    void aFailedFirstDestinationFailsOverToTheSecondAndTheCallersHearEachOther() {
        Call call = caller.dial(switchboard.uri("b2b-bob"), Map.of("Subject", "failover"));
        FIRST.awaitCall(WAIT).reject(503);
        Call second = SECOND.awaitCall(WAIT);
        assertThat(second.invite().header("Subject")).as("propagated").contains("failover");
        second.answer();
        call.awaitAnswered(WAIT);

        call.playTone(700, Duration.ofSeconds(5));
        second.ear().assertTone(700, WAIT);
        second.playTone(1100, Duration.ofSeconds(5));
        call.ear().assertTone(1100, WAIT);

        call.hangUp();
        assertThat(second.awaitEnded(WAIT)).isEqualTo(Call.End.REMOTE_BYE);
        assertThat(call.awaitEnded(WAIT)).isEqualTo(Call.End.LOCAL_BYE);
    }

    @Test
    void whenEveryDestinationFailsTheCallerGetsTheLastOnesStatus() {
        Call call = caller.dial(switchboard.uri("b2b-carol"), Map.of());
        FIRST.awaitCall(WAIT).reject(503);
        SECOND.awaitCall(WAIT).reject(486);

        assertThat(call.awaitFinalStatus(WAIT)).isEqualTo(486);
        assertThat(call.awaitEnded(WAIT)).isEqualTo(Call.End.REJECTED);
    }
}
