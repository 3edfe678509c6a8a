package org.switchboard.arquillian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.inject.Inject;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;
import org.switchboard.arquillian.SipAddress;

class NoInjectionTest {

    static class WithResources {
        @ArquillianResource
        SipAddress switchboard;
    }

    static class Injecting extends WithResources {
        @Inject
        Object bean;
    }

    @Test
    void aTestClassAskingForInjectionIsRefusedWithTheFieldAndTheWayOut() {
        assertThatThrownBy(() -> new NoInjection().enrich(new Injecting())).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("@Inject [Injecting.bean]: the remote Switchboard container (arquillian-remote) cannot"
                        + " inject the deployment's beans into the test")
                .hasMessageContaining("reach the application over SIP with the test kit's phones");
    }

    @Test
    void aTestClassWithResourcesOnlyIsLeftAlone() throws Exception {
        WithResources test = new WithResources();
        new NoInjection().enrich(test);

        assertThat(test.switchboard).isNull();
        assertThat(new NoInjection().resolve(NoInjectionTest.class.getDeclaredMethod("resolving", SipAddress.class, String.class)))
                .containsExactly(null, null);
    }

    @SuppressWarnings("unused")
    private void resolving(SipAddress address, String text) {
    }
}
