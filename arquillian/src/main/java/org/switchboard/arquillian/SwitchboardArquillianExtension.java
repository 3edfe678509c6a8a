package org.switchboard.arquillian;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.event.container.AfterStop;
import org.jboss.arquillian.core.api.InstanceProducer;
import org.jboss.arquillian.core.api.annotation.ApplicationScoped;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;
import org.jboss.arquillian.test.spi.event.suite.After;

/**
 * Registers the embedded container, the {@code @ArquillianResource}s and the phones' lifecycle. The resources and the
 * phones serve whichever container gives the {@link SipAddress}: the remote adapter ({@code arquillian-remote})
 * replaces the embedded container and keeps the rest.
 */
public final class SwitchboardArquillianExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, SwitchboardContainer.class)
                .service(ResourceProvider.class, Resources.Address.class)
                .service(ResourceProvider.class, Resources.Factory.class)
                .service(ResourceProvider.class, Resources.Phone.class)
                .observer(PhoneLifecycle.class);
    }

    /**
     * Makes the phone factory for the container's SIP address once the container produced it, and closes the phones
     * a test method made once it ended, whatever its outcome, and those left when the container stops.
     */
    static final class PhoneLifecycle {

        @Inject
        @ApplicationScoped
        private InstanceProducer<PhoneFactory> phones;

        void addressKnown(@Observes SipAddress address) {
            phones.set(new PhoneFactory(address));
        }

        void afterTest(@Observes After event) {
            closeAll();
        }

        void containerStopped(@Observes AfterStop event) {
            closeAll();
        }

        private void closeAll() {
            PhoneFactory factory = phones.get();
            if (factory != null) {
                factory.closeAll();
            }
        }
    }
}
