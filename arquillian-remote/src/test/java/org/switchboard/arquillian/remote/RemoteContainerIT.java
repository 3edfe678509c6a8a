package org.switchboard.arquillian.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.arquillian.Phones;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.arquillian.remote.app.Receptionist;
import org.switchboard.container.deploy.Deployer;
import org.switchboard.testkit.Call;
import org.switchboard.testkit.SipPhone;
import org.switchboard.testkit.SipTransport;

/**
 * A WAR uploaded to a running container through its admin API by the remote adapter, dialled by the kit's phones at
 * the configured SIP address; undeployed after the class (RunningSwitchboard checks nothing is left).
 */
@ExtendWith({RunningSwitchboard.class, ArquillianExtension.class})
class RemoteContainerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Deployment
    static WebArchive application() {
        return ShrinkWrap.create(WebArchive.class, "receptionist.war")
                .addClass(Receptionist.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    SipPhone phone;

    @ArquillianResource
    Phones phones;

    @Test
    void theDeploymentRunsInTheRunningContainer() {
        assertThat(RunningSwitchboard.container.deployer().status()).extracting(Deployer.Status::name)
                .containsExactly("receptionist");
    }

    @Test
    void theDeploymentAnswersACall() {
        int before = callsAnswered();

        Call call = phone.call(switchboard.uri("front-desk"));
        call.hangUp();

        assertThat(call.awaitEnded(WAIT)).isEqualTo(Call.End.LOCAL_BYE);
        assertThat(callsAnswered()).isEqualTo(before + 1);
    }

    @Test
    void theAddressIsTheConfiguredOne() {
        assertThat(switchboard.toString()).isEqualTo(System.getProperty("switchboard.remote.sip") + "/UDP");
        assertThat(switchboard.transport()).isEqualTo(SipTransport.UDP);
    }

    /** What the application says it answered (a MESSAGE's 200 carries its count). */
    private int callsAnswered() {
        SipPhone asker = phones.phone("asker");
        return Integer.parseInt(asker.message(switchboard.uri("front-desk"), "how many calls?").header("X-Calls").orElseThrow());
    }
}
