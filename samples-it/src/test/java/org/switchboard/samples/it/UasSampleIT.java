package org.switchboard.samples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.switchboard.samples.it.Samples.WAIT;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.testkit.Call;
import org.switchboard.testkit.SipPhone;

/** The UAS sample: answers the users it is routed ({@code uas...}) and nobody else. */
@ExtendWith(ArquillianExtension.class)
class UasSampleIT {

    @Deployment
    static WebArchive uas() {
        return Samples.war("uas");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    SipPhone phone;

    @Test
    void answersACallerWhoHangsUp() {
        Call call = phone.call(switchboard.uri("uas-42"));

        assertThat(call.state()).isEqualTo(Call.State.ANSWERED);
        call.hangUp();
        assertThat(call.awaitEnded(WAIT)).isEqualTo(Call.End.LOCAL_BYE);
    }

    @Test
    void aUserOutsideItsRoutingRuleIsNotAnswered() {
        Call call = phone.dial(switchboard.uri("bob"), Map.of());

        assertThat(call.awaitFinalStatus(WAIT)).isGreaterThanOrEqualTo(400);
    }
}
