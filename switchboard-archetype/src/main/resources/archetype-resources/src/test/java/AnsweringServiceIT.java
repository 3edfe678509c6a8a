package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.switchboard.arquillian.SipAddress;
import org.switchboard.testkit.Call;
import org.switchboard.testkit.SipPhone;

/** Deploys the application into an embedded Switchboard container and calls it with a test-kit phone. */
@ExtendWith(ArquillianExtension.class)
class AnsweringServiceIT {

    @Deployment
    static WebArchive application() {
        return ShrinkWrap.create(WebArchive.class, "${artifactId}.war")
                .addClass(AnsweringService.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    SipPhone phone;

    @Inject
    AnsweringService service;

    @Test
    void answersACall() {
        Call call = phone.call(switchboard.uri("${artifactId}"));   // INVITE, 200, ACK

        assertEquals(1, service.answered());
        call.hangUp();
        assertEquals(Call.End.LOCAL_BYE, call.awaitEnded(Duration.ofSeconds(5)));
    }
}
