package org.switchboard.arquillian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.arquillian.remote.app.Ambiguous;
import org.switchboard.arquillian.remote.app.Receptionist;
import org.switchboard.testkit.SipPhone;

/** Deployments the test starts and ends itself on the running container: one that comes and goes, one it refuses. */
@ExtendWith({RunningSwitchboard.class, ArquillianExtension.class})
class RemoteDeployerIT {

    @Deployment(name = "desk", managed = false)
    static JavaArchive desk() {
        return ShrinkWrap.create(JavaArchive.class, "desk")
                .addClass(Receptionist.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Deployment(name = "ambiguous", managed = false)
    static JavaArchive ambiguous() {
        return ShrinkWrap.create(JavaArchive.class, "ambiguous.jar")
                .addClasses(Ambiguous.class, Ambiguous.Greeting.class, Ambiguous.Hello.class, Ambiguous.Hi.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @ArquillianResource
    Deployer deployer;

    @ArquillianResource
    SipAddress switchboard;

    @ArquillianResource
    SipPhone phone;

    @Test
    void aJarIsReachedWhileDeployedAndNotAfter() {
        deployer.deploy("desk");
        assertThat(phone.message(switchboard.uri("desk"), "while deployed").status()).isEqualTo(200);

        deployer.undeploy("desk");
        assertThat(phone.message(switchboard.uri("desk"), "after").status()).isEqualTo(503);
        assertThat(RunningSwitchboard.container.deployer().status()).isEmpty();
    }

    @Test
    void aRefusedDeploymentFailsWithTheUrlTheStatusAndTheContainersReason() {
        String url = System.getProperty("switchboard.remote.admin") + "/api/deployments/ambiguous.jar";

        assertThatThrownBy(() -> deployer.deploy("ambiguous"))
                .hasStackTraceContaining("cannot deploy ambiguous.jar: PUT " + url + " answered HTTP 422: ambiguous.jar: deployment failed")
                .hasStackTraceContaining("Ambiguous dependencies");
        // the refused archive does not stay in the running container's folder (where it would show failed)
        assertThat(RunningSwitchboard.container.deployer().folder().resolve("ambiguous.jar")).doesNotExist();
    }
}
