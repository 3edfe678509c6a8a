package org.switchboard.arquillian.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.switchboard.container.Container;
import org.switchboard.container.ContainerConfig;
import org.switchboard.sip.stack.transport.Transport;

/**
 * A running Switchboard container for the remote adapter's tests, as {@code ./switchboard run} would be: started once
 * for the whole run, closed when it ends (before Arquillian reads arquillian.xml, so it is declared before Arquillian's extension), the
 * admin API on a free loopback port with a token, SIP on a free UDP port, its applications on the container's own
 * class loader (the test's classes invisible to them). arquillian.xml reads where it is from the system properties this
 * sets. After each test class, it checks the class left nothing deployed.
 */
final class RunningSwitchboard implements BeforeAllCallback, AfterAllCallback {

    /** The admin token the container takes. */
    static final String TOKEN = "token-of-the-remote-adapter-tests";

    /** The running container (set once the first test class started it). */
    static Container container;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RunningSwitchboard.class) {
            if (container == null) { // a run started inside a test (InjectionRefusedIT) finds it running
                context.getRoot().getStore(ExtensionContext.Namespace.create(RunningSwitchboard.class)).put("container", start());
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Arquillian's extension, declared after this one, has undeployed the class's deployments by now
        assertThat(container.deployer().status()).as("deployments left by " + context.getDisplayName()).isEmpty();
    }

    /** Stops the container when the run ends. */
    private record Started(Container container, Path folder) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            container.close();
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Started start() {
        try {
            Path folder = Files.createTempDirectory("switchboard-remote-it-");
            Path tokenFile = Files.writeString(folder.resolve("admin-token.txt"), TOKEN + "\n");
            container = Container.start(ContainerConfig.of(Map.of(
                    "admin.listen", "127.0.0.1:0",
                    "admin.token", TOKEN,
                    "sip.contacts", "sip:127.0.0.1:0;transport=udp",
                    "deployments.dir", folder.resolve("deployments").toString(),
                    "deployments.work", folder.resolve("work").toString())));
            InetSocketAddress sip = container.embeddedServer().orElseThrow().sipListenPoints().stream()
                    .filter(p -> p.transport() == Transport.UDP).findFirst().orElseThrow().address();
            System.setProperty("switchboard.remote.admin", "http://127.0.0.1:" + container.admin().orElseThrow().port());
            System.setProperty("switchboard.remote.tokenFile", tokenFile.toString());
            System.setProperty("switchboard.remote.sip", "127.0.0.1:" + sip.getPort());
            return new Started(container, folder);
        } catch (Exception e) {
            throw new IllegalStateException("the container for the remote adapter's tests did not start", e);
        }
    }
}
