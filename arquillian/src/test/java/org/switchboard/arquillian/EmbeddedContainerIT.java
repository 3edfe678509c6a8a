package org.switchboard.arquillian;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.arquillian.app.AnsweringBean;
import org.switchboard.arquillian.app.Inbox;
import org.switchboard.testkit.Call;
import org.switchboard.testkit.SipPhone;
import org.switchboard.testkit.SipTransport;

/** A WAR deployed into the embedded container, dialled and messaged by test-kit phones, its beans injected here. */
@ExtendWith(ArquillianExtension.class)
class EmbeddedContainerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Deployment
    static WebArchive application() {
        return ShrinkWrap.create(WebArchive.class, "answering.war")
                .addClasses(AnsweringBean.class, Inbox.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    SipPhone phone;

    @ArquillianResource
    Phones phones;

    @Inject
    AnsweringBean answering;

    @Inject
    Inbox inbox;

    @Test
    void theDeploymentAnswersACallAndTheTestSeesItsBean() {
        Call call = phone.call(switchboard.uri("anyone"));

        assertThat(answering.answered()).contains(call.callId());
        call.hangUp();
        assertThat(call.awaitEnded(WAIT)).isEqualTo(Call.End.LOCAL_BYE);
    }

    @Test
    void aMessageReachesTheObserver() {
        SipPhone alice = phones.phone("alice");

        assertThat(alice.message(switchboard.uri("inbox"), "hello from alice").status()).isEqualTo(200);
        assertThat(inbox.texts()).contains("hello from alice");
    }

    @Test
    void theAddressIsTheContainersLoopbackUdpPort() {
        assertThat(switchboard.host()).isEqualTo("127.0.0.1");
        assertThat(switchboard.transport()).isEqualTo(SipTransport.UDP);
    }
}
