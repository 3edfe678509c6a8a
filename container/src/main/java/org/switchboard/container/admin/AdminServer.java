package org.switchboard.container.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container's HTTP listener: the admin API, the console and the routes {@link #route registered} on it. Its token
 * is the configured one or, when none is, one generated at start and written to an owner-only file whose path is logged
 * (the token itself never is). A listener on an address other than loopback needs a configured token.
 *
 * <p>Threads: Jetty's own small pool serves requests; the live events go out from one scheduler thread. Nothing here
 * runs on a SIP or media thread. {@link #close()} stops the listener (open event streams end) and removes a generated
 * token's file.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_THREADS = 16;

    private final Server server;
    private final ServerConnector connector;
    private final AdminHandler handler;
    private final AdminToken token;
    private final LiveEvents events;

    private AdminServer(Server server, ServerConnector connector, AdminHandler handler, AdminToken token, LiveEvents events) {
        this.server = server;
        this.connector = connector;
        this.handler = handler;
        this.token = token;
        this.events = events;
    }

    /**
     * Starts listening on {@code listen}.
     *
     * @param listen host (a literal or a name) and port; port 0 takes a free one
     * @param configuredToken the token, empty to generate one
     * @param tokenFolder where a generated token's file is written
     * @throws IllegalArgumentException when {@code listen} is not loopback and no token is configured
     * @throws IOException when the address cannot be bound or the token file written
     */
    public static AdminServer start(InetSocketAddress listen, Optional<String> configuredToken, Path tokenFolder,
                                    AdminSources sources) throws IOException {
        if (configuredToken.isEmpty() && !isLoopback(listen.getHostString())) {
            throw new IllegalArgumentException("admin.listen " + listen.getHostString() + ":" + listen.getPort()
                    + " is not a loopback address: set admin.token (a generated token is for loopback only)");
        }
        AdminToken token = AdminToken.of(configuredToken, tokenFolder);
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2);
        pool.setName("admin-http");
        pool.setDaemon(true);
        Server server = new Server(pool);
        server.setStopTimeout(1000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // a Call-ID may hold a '/', sent as %2F in /api/calls/{Call-ID}
        http.setUriCompliance(UriCompliance.DEFAULT.with("call-ids", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(listen.getHostString());
        connector.setPort(listen.getPort());
        server.addConnector(connector);
        MediaWatch clocks = new MediaWatch(sources.mediaServers());
        LiveEvents events = new LiveEvents(sources, clocks);
        AdminHandler handler = new AdminHandler(token, new ApiRoutes(sources, clocks), events);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            events.close();
            token.delete();
            stopQuietly(server);
            throw new IOException("cannot listen on " + listen.getHostString() + ":" + listen.getPort() + " (admin.listen): "
                    + e.getMessage(), e);
        }
        AdminServer admin = new AdminServer(server, connector, handler, token, events);
        LOG.info("SBC-020 admin API and console on http://{}:{}/ ({})", listen.getHostString(), admin.port(),
                token.file().map(f -> "token in " + f).orElse("token from admin.token"));
        return admin;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The generated token's file, empty when {@code admin.token} is configured. */
    public Optional<Path> tokenFile() {
        return token.file();
    }

    /**
     * Serves GET {@code path} (an exact path such as {@code /metrics}) with {@code route}; {@code open}: without the
     * token (a health probe or a scraper), else like the API.
     *
     * @throws IllegalArgumentException when the path is taken by the API, the console or another route
     */
    public void route(String path, boolean open, Route route) {
        handler.route(path, open, route);
    }

    @Override
    public void close() {
        events.close();
        stopQuietly(server);
        token.delete();
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("admin listener stop", e);
        }
    }
}
