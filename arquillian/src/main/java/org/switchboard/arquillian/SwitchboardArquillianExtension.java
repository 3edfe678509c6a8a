package org.switchboard.arquillian;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;
import org.jboss.arquillian.test.spi.event.suite.After;

/** Registers the embedded container, its {@code @ArquillianResource}s and the closing of phones after each test. */
public final class SwitchboardArquillianExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, SwitchboardContainer.class)
                .service(ResourceProvider.class, Resources.Address.class)
                .service(ResourceProvider.class, Resources.Factory.class)
                .service(ResourceProvider.class, Resources.Phone.class)
                .observer(PhoneCloser.class);
    }

    /** Closes the phones a test method made once it ended, whatever its outcome. */
    static final class PhoneCloser {

        @Inject
        private Instance<PhoneFactory> phones;

        void afterTest(@Observes After event) {
            PhoneFactory factory = phones.get();
            if (factory != null) {
                factory.closeAll();
            }
        }
    }
}
