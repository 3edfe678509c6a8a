package org.switchboard.arquillian.remote;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.TestEnricher;
import org.switchboard.arquillian.SwitchboardContainer;

/**
 * Puts the remote container in the embedded one's place (Arquillian takes one container adapter per class path, so a
 * test class path with this module runs its tests against a running container), and refuses {@code @Inject} in tests.
 * The {@code @ArquillianResource}s and the phones stay the arquillian module's.
 */
public final class RemoteExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.override(DeployableContainer.class, SwitchboardContainer.class, RemoteSwitchboardContainer.class)
                .service(TestEnricher.class, NoInjection.class);
    }
}
