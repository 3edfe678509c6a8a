package org.switchboard.arquillian.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.core.api.InstanceProducer;
import org.jboss.arquillian.core.api.annotation.ApplicationScoped;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.arquillian.SwitchboardContainer;

/**
 * The remote container: a {@code ./switchboard run} that is already running, reached through its admin API.
 * {@link #start()} checks that the API answers and takes the token (it starts nothing); {@link #deploy(Archive)}
 * uploads the archive ({@code PUT /api/deployments/NAME.war}) and returns once the container runs it;
 * {@link #undeploy(Archive)} removes it ({@code DELETE}); {@link #stop()} leaves the container running. The test runs
 * in its own JVM (Arquillian's local protocol) and reaches the deployment over SIP only: the test kit's phones and the
 * configured {@link SipAddress} are its resources, {@code @Inject} of the deployment's beans is refused
 * ({@link NoInjection}).
 */
public final class RemoteSwitchboardContainer implements DeployableContainer<RemoteConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSwitchboardContainer.class);

    @Inject
    @ApplicationScoped
    private InstanceProducer<SipAddress> address;

    private RemoteConfiguration configuration;
    private AdminApi api;

    @Override
    public Class<RemoteConfiguration> getConfigurationClass() {
        return RemoteConfiguration.class;
    }

    @Override
    public void setup(RemoteConfiguration config) {
        this.configuration = config;
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local"); // the test runs in its own JVM and reaches the container over the network
    }

    @Override
    public void start() throws LifecycleException {
        URI admin = configuration.adminUri();
        try {
            api = new AdminApi(admin, configuration.token(), configuration.deployTimeout());
            LOG.debug("Switchboard container at {} runs {}", admin, api.activeDeployments());
        } catch (IOException | AdminApi.Failure e) {
            throw new LifecycleException("the Switchboard container at " + admin + " cannot be used: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LifecycleException("interrupted while reaching the Switchboard container at " + admin, e);
        }
        address.set(configuration.sip()); // the phones are made for it (the arquillian module's phone lifecycle)
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String file = SwitchboardContainer.fileName(archive);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        archive.as(ZipExporter.class).exportTo(bytes);
        AdminApi admin = api();
        try {
            admin.deploy(file, bytes.toByteArray());
        } catch (AdminApi.Failure e) {
            DeploymentException failed = new DeploymentException("cannot deploy " + file + ": " + e.getMessage(), e);
            if (e.status() == 422 || e.status() == 504) {
                removeRefused(admin, file, failed);
            }
            throw failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while deploying " + file, e);
        }
        return new ProtocolMetaData();
    }

    /**
     * The container keeps an archive it refused (or is still deploying) in its folder, where it would be retried and
     * shown failed: removed, so that the running container is left as it was found.
     */
    private static void removeRefused(AdminApi admin, String file, DeploymentException failed) {
        try {
            admin.undeploy(file);
        } catch (AdminApi.Failure e) {
            failed.addSuppressed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.addSuppressed(e);
        }
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        String file = SwitchboardContainer.fileName(archive);
        try {
            api().undeploy(file);
        } catch (AdminApi.Failure e) {
            throw new DeploymentException("cannot undeploy " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeploymentException("interrupted while undeploying " + file, e);
        }
    }

    @Override
    public void stop() {
        api = null; // the container runs on: it is not this adapter's to stop
    }

    private AdminApi api() throws DeploymentException {
        if (api == null) {
            throw new DeploymentException("the remote Switchboard container is not started (Arquillian calls start() first)");
        }
        return api;
    }
}
