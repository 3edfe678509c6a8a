package org.switchboard.container;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.container.deploy.Deployer;
import org.switchboard.container.sip.Ordered;
import org.switchboard.container.sip.SipCore;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.client.DrachtioListenServer;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;

/**
 * A running container: the SIP connection, dispatch and the deployer. Container-wide middleware are the
 * {@link Middleware} and {@link ErrorMiddleware} services on the container's class path ({@code ServiceLoader}).
 */
public final class Container implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Container.class);

    private final Deployer deployer;
    private final SipCore core;
    private DrachtioServer embedded;
    private DrachtioClient client;
    private DrachtioListenServer listening;
    private final List<String> summary = new ArrayList<>();

    private Container(ContainerConfig config) {
        deployer = new Deployer(config.deployments(), config.work(), config.scanInterval(), config.drainTimeout(),
                Deployer.overrides(config.all()));
        List<Ordered<Middleware>> middleware = new ArrayList<>();
        ServiceLoader.load(Middleware.class).stream().forEach(p -> middleware.add(Ordered.of(p.get(), p.type())));
        List<Ordered<ErrorMiddleware>> errors = new ArrayList<>();
        ServiceLoader.load(ErrorMiddleware.class).stream().forEach(p -> errors.add(Ordered.of(p.get(), p.type())));
        core = new SipCore(deployer, Ordered.sorted(middleware), Ordered.sorted(errors), config.answerTimeout());
        if (!middleware.isEmpty() || !errors.isEmpty()) {
            summary.add("container middleware: " + middleware.stream().map(m -> m.value().getClass().getName()).toList()
                    + " error middleware: " + errors.stream().map(m -> m.value().getClass().getName()).toList());
        }
    }

    /** Starts a container: deploys what is in the deployments folder, then connects as configured; blocks until connected. */
    public static Container start(ContainerConfig config) throws Exception {
        Container c = new Container(config);
        try {
            c.deployer.start(c.core);
            c.connect(config);
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        c.summary.add("deployments: " + config.deployments().toAbsolutePath() + " " + c.deployer.deployments());
        LOG.info("switchboard started\n  {}", String.join("\n  ", c.summary));
        return c;
    }

    private void connect(ContainerConfig config) throws Exception {
        String mode = config.mode();
        switch (mode) {
            case "embedded" -> {
                String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
                embedded = DrachtioServer.start(DrachtioServerConfig.builder()
                        .adminAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .secret(secret)
                        .cdrs(config.cdrs())
                        .sip(new SipStackConfig(SipServerMain.transports(config.contacts(), 1500),
                                config.t1().equals(TimerConfig.DEFAULT_T1) ? TimerConfig.DEFAULTS : TimerConfig.scaled(config.t1())))
                        .build());
                inbound(embedded.adminAddress().getAddress().getHostAddress(), embedded.adminAddress().getPort(), secret);
                summary.add("SIP (embedded drachtio server): " + embedded.sipListenPoints() + "; its app port "
                        + embedded.adminAddress() + " (loopback, random secret)");
            }
            case "inbound" -> {
                String host = config.get("drachtio.host", "127.0.0.1");
                int port = Integer.parseInt(config.get("drachtio.port", "9022"));
                inbound(host, port, secret(config, host));
                summary.add("SIP: drachtio-server at " + host + ":" + port + " (inbound)");
            }
            case "outbound" -> {
                String[] hp = config.get("drachtio.listen", "127.0.0.1:9023").split(":(?=[0-9]+$)");
                InetSocketAddress address = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
                DrachtioClientConfig cc = DrachtioClientConfig.builder().secret(secret(config, hp[0])).build();
                listening = DrachtioListenServer.listen(address, cc, core::listener,
                        c -> core.attach(c, false));
                summary.add("SIP: drachtio-server connects to " + listening.address() + " (outbound)");
            }
            default -> throw new IllegalStateException(mode);
        }
    }

    private static String secret(ContainerConfig config, String host) throws Exception {
        String secret = config.get("drachtio.secret", "");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("drachtio.secret (or SWITCHBOARD_DRACHTIO_SECRET) is required with an external drachtio-server");
        }
        if (secret.equals(DrachtioClientConfig.EXAMPLE_SECRET) && !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("the example secret 'cymru' is allowed only on loopback, not for " + host);
        }
        return secret;
    }

    private void inbound(String host, int port, String secret) throws Exception {
        org.switchboard.drachtio.client.DrachtioListener listener = core.listener();
        DrachtioClientConfig.Builder b = DrachtioClientConfig.builder().host(host).port(port).secret(secret);
        if (embedded != null) {
            b.peerFrameLimit(1 << 20); // our own server takes large frames; a real drachtio-server keeps the default limit
        }
        client = DrachtioClient.connect(b.build(), listener).get(30, TimeUnit.SECONDS);
        core.attach(client, true);
    }

    /** The embedded server, when the container runs one. */
    public java.util.Optional<DrachtioServer> embeddedServer() {
        return java.util.Optional.ofNullable(embedded);
    }

    /** The deployer. */
    public Deployer deployer() {
        return deployer;
    }

    /** The SIP core, for tests and diagnostics. */
    public SipCore sip() {
        return core;
    }

    /** Lines describing listeners, deployments and peers. */
    public List<String> summary() {
        return List.copyOf(summary);
    }

    @Override
    public void close() {
        deployer.close();
        if (client != null) {
            client.close();
        }
        if (listening != null) {
            listening.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        core.close();
    }
}
