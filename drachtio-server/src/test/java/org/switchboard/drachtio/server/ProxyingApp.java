package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.wire.DrachtioFrame;

/**
 * A Java app on the embedded server that proxies every new request of one method to one target, record-routing (a
 * REGISTER gets a Path instead), as drachtio-srf's {@code proxyRequest(req, target, {recordRoute: true})} does. It
 * keeps how each of those requests reached the server, so a test knows the connection a client used.
 */
final class ProxyingApp implements AutoCloseable {

    private final DrachtioClient client;
    private final List<DrachtioFrame.Meta> arrivals;

    private ProxyingApp(DrachtioClient client, List<DrachtioFrame.Meta> arrivals) {
        this.client = client;
        this.arrivals = arrivals;
    }

    /** Connects to {@code server}'s app port and routes {@code method} (as in {@code INVITE}) to this app. */
    static ProxyingApp connect(DrachtioServer server, String method, String target) throws Exception {
        CompletableFuture<DrachtioClient> self = new CompletableFuture<>();
        List<DrachtioFrame.Meta> arrivals = new CopyOnWriteArrayList<>();
        DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), frame -> {
                    if (frame.keyword().equals("sip") && frame.sipMessage().orElse("").startsWith(method + " ")) {
                        frame.meta().ifPresent(arrivals::add);
                        self.join().request("proxy", List.of(frame.transactionId(), "remainInDialog", "fullResponse", "",
                                "serial", "", "", target), Optional.of(method + " " + target + " SIP/2.0\r\n\r\n"));
                    }
                }).get(10, TimeUnit.SECONDS);
        self.complete(client);
        client.route(method.toLowerCase(Locale.ROOT)).get(5, TimeUnit.SECONDS);
        return new ProxyingApp(client, arrivals);
    }

    /** The address and port the last proxied request came from; fails when none came. */
    InetSocketAddress lastSource() {
        DrachtioFrame.Meta meta = arrivals.get(arrivals.size() - 1);
        return new InetSocketAddress(meta.address(), Integer.parseInt(meta.port()));
    }

    /** The protocol ({@code udp}, {@code wss}...) the last proxied request came over, as the server reported it. */
    String lastProtocol() {
        return arrivals.get(arrivals.size() - 1).protocol();
    }

    @Override
    public void close() {
        client.close();
    }
}
