package org.switchboard.arquillian;

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
import org.switchboard.arquillian.app.Inbox;
import org.switchboard.arquillian.app.Unsatisfied;
import org.switchboard.testkit.SipPhone;

/** Deployments the test starts and ends itself: a JAR that comes and goes, and one the container refuses. */
@ExtendWith(ArquillianExtension.class)
class DeployerIT {

    @Deployment(name = "inbox", managed = false)
    static JavaArchive inbox() {
        return ShrinkWrap.create(JavaArchive.class, "inbox")
                .addClass(Inbox.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Deployment(name = "broken", managed = false)
    static JavaArchive broken() {
        return ShrinkWrap.create(JavaArchive.class, "broken.jar")
                .addClasses(Unsatisfied.class, Unsatisfied.Missing.class)
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
        deployer.deploy("inbox");
        assertThat(phone.message(switchboard.uri("inbox"), "while deployed").status()).isEqualTo(200);

        deployer.undeploy("inbox");
        assertThat(phone.message(switchboard.uri("inbox"), "after").status()).isEqualTo(503);
    }

    @Test
    void aRefusedDeploymentFailsWithTheContainersReason() {
        assertThatThrownBy(() -> deployer.deploy("broken"))
                .hasStackTraceContaining("broken.jar: deployment failed")
                .hasStackTraceContaining("Unsatisfied dependencies");
    }
}
