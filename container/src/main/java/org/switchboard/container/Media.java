package org.switchboard.container;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.switchboard.connection.ClientTls;
import org.switchboard.container.sip.ContainerMedia;
import org.switchboard.media.server.MediaServerConfig;
import org.switchboard.mrf.MediaSignaling;
import org.switchboard.mrf.Mrf;
import org.switchboard.mrf.MrfConfig;
import org.switchboard.sip.media.MediaServer;

/**
 * The container's media servers: the embedded media server started in this process (SIP and event socket on
 * loopback, free ports, a random event socket password), or the external ones of {@code media.servers}; either
 * way reached as FreeSWITCH is, over the event socket with the media framework and over SIP through the drachtio
 * server.
 */
final class Media implements AutoCloseable {

    private final org.switchboard.media.server.MediaServer embedded; // null unless media.mode is embedded
    private final List<MediaServer> servers;
    private final String description;

    private Media(org.switchboard.media.server.MediaServer embedded, List<MediaServer> servers, String description) {
        this.embedded = embedded;
        this.servers = servers;
        this.description = description;
    }

    /** Starts or connects the configured media servers and gives them to {@code media}; blocks until connected. */
    static Media start(ContainerConfig config, ContainerMedia media, MeterRegistry meters) throws Exception {
        String mode = config.get(ContainerConfig.MEDIA_MODE);
        if (mode.equals("none")) {
            return new Media(null, List.of(), "media: none (media.mode none): applications get no media servers");
        }
        org.switchboard.media.server.MediaServer embedded = null;
        List<MediaServer> servers = new ArrayList<>();
        try {
            List<Setting.EventSocket> sockets;
            if (mode.equals("embedded")) {
                byte[] random = new byte[16];
                new SecureRandom().nextBytes(random);
                String password = HexFormat.of().formatHex(random);
                InetAddress loopback = InetAddress.getLoopbackAddress();
                embedded = org.switchboard.media.server.MediaServer.start(MediaServerConfig.builder()
                        .sip(new InetSocketAddress(loopback, 0))
                        .esl(new InetSocketAddress(loopback, 0))
                        .password(password)
                        .sounds(config.get(ContainerConfig.MEDIA_SOUNDS))
                        // made by the first recording: the deployer removes a work folder at exit only if it made it
                        .recordings(config.work().resolve("recordings"))
                        .meterRegistry(meters)
                        .build());
                sockets = List.of(new Setting.EventSocket(embedded.eslAddress(), password));
            } else {
                sockets = config.get(ContainerConfig.MEDIA_SERVERS);
            }
            Duration deadline = config.get(ContainerConfig.MEDIA_DEADLINE);
            MediaSignaling signaling = media.signaling();
            for (Setting.EventSocket socket : sockets) {
                servers.add(connect(socket, config, deadline, signaling, meters));
            }
            media.use(Mrf.pool(servers, signaling));
            String what = embedded != null
                    ? "embedded media server, SIP at " + hostPort(embedded.sipAddress()) + ", event socket at "
                    + hostPort(embedded.eslAddress())
                    + " (loopback, random password), sounds in " + config.get(ContainerConfig.MEDIA_SOUNDS).toAbsolutePath()
                    : "media servers " + sockets + (config.get(ContainerConfig.MEDIA_TLS) ? " over TLS" : "");
            return new Media(embedded, List.copyOf(servers), "media: " + what + "; deadline " + deadline.toSeconds() + " s");
        } catch (Exception | Error e) {
            servers.forEach(MediaServer::close);
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static MediaServer connect(Setting.EventSocket socket, ContainerConfig config, Duration deadline,
                                       MediaSignaling signaling, MeterRegistry meters) throws Exception {
        InetSocketAddress address = new InetSocketAddress(socket.address().getHostString(), socket.address().getPort());
        MrfConfig.Builder b = MrfConfig.builder(address).password(socket.password()).commandTimeout(deadline)
                .meterRegistry(meters)
                .customEvents(config.get(ContainerConfig.MEDIA_EVENTS).toArray(String[]::new));
        config.find(ContainerConfig.MEDIA_LISTEN)
                .ifPresent(l -> b.listen(new InetSocketAddress(l.getHostString(), l.getPort())));
        if (config.get(ContainerConfig.MEDIA_TLS)) {
            b.tls(config.find(ContainerConfig.MEDIA_TLS_CA).map(ClientTls::trusting).orElseGet(ClientTls::trustingDefaultCas));
        }
        try {
            return Mrf.connect(b.build(), signaling).toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("media server " + socket + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("media server " + socket + ": not connected within " + deadline.toSeconds() + " s", e);
        }
    }

    /** The start-up log's line: which media servers, without passwords. */
    String description() {
        return description;
    }

    /** The connected servers (none with media.mode none). */
    List<MediaServer> servers() {
        return servers;
    }

    /** The embedded media server, when the container runs one. */
    java.util.Optional<org.switchboard.media.server.MediaServer> embedded() {
        return java.util.Optional.ofNullable(embedded);
    }

    /** Closes the connections to the media servers, then stops the embedded one. */
    @Override
    public void close() {
        servers.forEach(MediaServer::close);
        if (embedded != null) {
            embedded.close();
        }
    }
}
