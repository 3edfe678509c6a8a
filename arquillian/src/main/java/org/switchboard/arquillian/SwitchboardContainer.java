package org.switchboard.arquillian;

import jakarta.enterprise.inject.spi.BeanManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.context.annotation.DeploymentScoped;
import org.jboss.arquillian.core.api.InstanceProducer;
import org.jboss.arquillian.core.api.annotation.ApplicationScoped;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.container.Container;
import org.switchboard.container.ContainerConfig;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.testkit.SipTransport;

/**
 * The embedded container: {@link #start()} boots a Switchboard container in the test JVM, its embedded SIP server
 * on one free loopback port; {@link #deploy(Archive)} exports the archive into the container's deployments folder
 * and deploys it at once through the container's deployer. The applications' class loaders have the test's class
 * loader as parent, so a class of the archive that is also on the test class path is the test's own class: that is
 * what lets {@code @Inject} in the test class reach the deployment's beans (through the bean manager this adapter
 * gives Arquillian's CDI enricher). The price is isolation: a deployment sees the whole test class path here, unlike
 * in {@code ./switchboard run}.
 */
public final class SwitchboardContainer implements DeployableContainer<SwitchboardConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardContainer.class);

    @Inject
    @ApplicationScoped
    private InstanceProducer<SipAddress> address;

    @Inject
    @DeploymentScoped
    private InstanceProducer<BeanManager> beanManager;

    private SwitchboardConfiguration configuration;
    private Path folder;
    private Container container;

    @Override
    public Class<SwitchboardConfiguration> getConfigurationClass() {
        return SwitchboardConfiguration.class;
    }

    @Override
    public void setup(SwitchboardConfiguration config) {
        this.configuration = config;
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local"); // the test runs in this JVM, beside the container
    }

    @Override
    public void start() throws LifecycleException {
        SipTransport transport = configuration.sipTransport();
        try {
            folder = Files.createTempDirectory("switchboard-arquillian-");
            Map<String, String> settings = new HashMap<>();
            settings.put("sip.contacts", "sip:127.0.0.1:0;transport=" + transport.name().toLowerCase(Locale.ROOT));
            settings.put("deployments.dir", folder.resolve("deployments").toString());
            settings.put("deployments.work", folder.resolve("work").toString());
            settings.put("admin.listen", "127.0.0.1:0"); // a free port: several tests' containers may run at once
            settings.putAll(configuration.settings());
            ContainerConfig config = ContainerConfig.of(settings);
            if (!config.mode().equals("embedded")) {
                throw new IllegalArgumentException("drachtio.mode must stay embedded in the embedded container, not " + config.mode());
            }
            ClassLoader test = Thread.currentThread().getContextClassLoader();
            container = Container.start(config, test != null ? test : getClass().getClassLoader());
        } catch (Exception e) {
            deleteFolder();
            throw new LifecycleException("the Switchboard container did not start: " + e.getMessage(), e);
        }
        SipAddress sip;
        try {
            sip = listenPoint(container.embeddedServer().orElseThrow(), transport);
        } catch (LifecycleException e) {
            stop();
            throw e;
        }
        address.set(sip); // PhoneLifecycle makes the phones for it
        LOG.debug("Switchboard container for tests: SIP on {}", sip);
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        Path file = folder.resolve("deployments").resolve(fileName(archive));
        try {
            // exported beside the folder and moved in whole, so that the folder's scanner never sees half a file
            Path staged = folder.resolve(file.getFileName() + ".part");
            archive.as(ZipExporter.class).exportTo(staged.toFile(), true);
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            container.deployer().deployNow(file, configuration.timeout());
        } catch (IOException | RuntimeException | TimeoutException e) {
            throw new DeploymentException("cannot deploy " + archive.getName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while deploying " + archive.getName(), e);
        }
        beanManager.set(container.deployer().beanManager(applicationName(file)).orElseThrow());
        return new ProtocolMetaData();
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        Path file = folder.resolve("deployments").resolve(fileName(archive));
        try {
            container.deployer().undeployNow(file, configuration.timeout());
        } catch (RuntimeException | TimeoutException e) {
            throw new DeploymentException("cannot undeploy " + archive.getName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while undeploying " + archive.getName(), e);
        }
    }

    @Override
    public void stop() {
        if (container != null) {
            container.close();
            container = null;
        }
        deleteFolder();
    }

    private static SipAddress listenPoint(DrachtioServer server, SipTransport transport) throws LifecycleException {
        Transport wanted = transport == SipTransport.TCP ? Transport.TCP : Transport.UDP;
        ListenPoint point = server.sipListenPoints().stream().filter(p -> p.transport() == wanted).findFirst()
                .orElseThrow(() -> new LifecycleException("no " + transport + " listen point in " + server.sipListenPoints()
                        + ": the settings' sip.contacts must keep one"));
        return new SipAddress(point.address().getAddress().getHostAddress(), point.address().getPort(), transport);
    }

    /**
     * The file name an archive is deployed under, by this container and the remote one: its name, given the extension
     * of its kind ({@code .war} for a {@code WebArchive}, else {@code .jar}) when it has neither.
     */
    public static String fileName(Archive<?> archive) {
        String name = archive.getName();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".war") || lower.endsWith(".jar")) {
            return name;
        }
        return name + (archive instanceof WebArchive ? ".war" : ".jar");
    }

    private static String applicationName(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    private void deleteFolder() {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("not removed: {}", folder, e);
        }
    }
}
