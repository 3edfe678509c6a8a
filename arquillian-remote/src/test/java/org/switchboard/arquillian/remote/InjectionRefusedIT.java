package org.switchboard.arquillian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.switchboard.arquillian.remote.app.Receptionist;

/** A remote test that asks for {@code @Inject} fails with the reason and the way out, not with a null field. */
@ExtendWith(RunningSwitchboard.class)
class InjectionRefusedIT {

    private static final String LAUNCHING = "switchboard.remote.launching";

    /** Run by the test below only (a nested class, off unless launched): a remote test asking for the deployment's bean. */
    @ExtendWith({RunningSwitchboard.class, ArquillianExtension.class})
    @EnabledIfSystemProperty(named = LAUNCHING, matches = "true")
    static class AsksForABean {

        @Deployment
        static WebArchive application() {
            return ShrinkWrap.create(WebArchive.class, "receptionist.war")
                    .addClass(Receptionist.class)
                    .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
        }

        @Inject
        Receptionist receptionist;

        @Test
        void usesTheBean() {
            assertThat(receptionist).isNotNull();
        }
    }

    @Test
    void theTestFailsNamingTheFieldAndTheWayOut() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        System.setProperty(LAUNCHING, "true");
        try {
            LauncherFactory.create().execute(request().selectors(selectClass(AsksForABean.class)).build(), listener);
        } finally {
            System.clearProperty(LAUNCHING);
        }

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsStartedCount()).isEqualTo(1);
        assertThat(summary.getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .hasMessageStartingWith("@Inject [AsksForABean.receptionist]: the remote Switchboard container (arquillian-remote)"
                        + " cannot inject the deployment's beans into the test, they run in the container's JVM"));
        // the class's deployment went and came back
        assertThat(RunningSwitchboard.container.deployer().status()).isEmpty();
    }
}
