package org.switchboard.drachtio.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.wire.DrachtioFrame;

/** Deadlines, dropped connections and reconnects, against a server scripted to misbehave. */
class DrachtioClientGuaranteesTest {

    private static final DrachtioListener IGNORE = frame -> { };

    /** Accepts a connection, reads the authenticate frame and accepts it. */
    private static Socket acceptAndAuthenticate(ServerSocket server) throws IOException {
        Socket s = server.accept();
        s.setSoTimeout(5000);
        DrachtioFrame auth = read(s);
        assertThat(auth.keyword()).isEqualTo("authenticate");
        write(s, DrachtioFrame.of("s-1", "response", auth.id(), "OK", "udp/127.0.0.1:5060", "v0.9.10", "udp/127.0.0.1:5060"));
        return s;
    }

    /** Accepts and authenticates the client's connection in the background. */
    private static CompletableFuture<Socket> acceptLater(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return acceptAndAuthenticate(server);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static DrachtioFrame read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        for (int b = in.read(); b != '#'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed");
            }
            digits.write(b);
        }
        return DrachtioFrame.parse(new String(in.readNBytes(Integer.parseInt(digits.toString(StandardCharsets.US_ASCII))),
                StandardCharsets.UTF_8));
    }

    static void write(Socket s, DrachtioFrame f) throws IOException {
        s.getOutputStream().write(f.toBytes());
        s.getOutputStream().flush();
    }

    @Test
    void everyRequestHasADeadlineAndADropFailsTheRestAtOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptLater(server);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().port(server.getLocalPort())
                    .requestTimeout(Duration.ofMillis(300)).reconnect(false).meterRegistry(meters).build(), IGNORE)
                    .get(5, TimeUnit.SECONDS);
            Socket s = accepted.get(5, TimeUnit.SECONDS);
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.ping().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DrachtioException.Timeout.class).hasMessageContaining("'ping': no response within 300 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 2000L);
            CompletableFuture<DrachtioFrame> pending = client.route("invite");
            s.setSoLinger(true, 0);
            s.close();
            start = System.nanoTime();
            assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(DrachtioException.ConnectionClosed.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(250);
            assertThat(requests(meters, "authenticate", "ok")).isEqualTo(1);
            assertThat(requests(meters, "ping", "timeout")).isEqualTo(1);
            assertThat(requests(meters, "route", "closed")).isEqualTo(1);
            assertThat(meters.get("drachtio.client.requests").tag("command", "ping").tag("outcome", "timeout").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).as("the round trip is the deadline's").isGreaterThanOrEqualTo(250);
            client.close();
            assertThat(meters.find("drachtio.client.connected").gauge()).as("a closed client reports no connection").isNull();
        }
    }

    private static long requests(SimpleMeterRegistry meters, String command, String outcome) {
        return meters.get("drachtio.client.requests").tag("command", command).tag("outcome", outcome).timer().count();
    }

    @Test
    void reconnectsAuthenticatesAgainAndRegistersItsRoutesAgain() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> first = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = acceptAndAuthenticate(server);
                    DrachtioFrame route = read(s);
                    write(s, DrachtioFrame.of("s-2", "response", route.id(), "OK"));
                    return s;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().port(server.getLocalPort())
                    .reconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200)).meterRegistry(meters).build(), IGNORE)
                    .get(5, TimeUnit.SECONDS);
            String at = "127.0.0.1:" + server.getLocalPort();
            assertThat(client.route("INVITE").get(5, TimeUnit.SECONDS).isOk()).isTrue();
            assertThat(meters.get("drachtio.client.connected").tag("server", at).gauge().value()).isEqualTo(1);
            first.get(5, TimeUnit.SECONDS).close();
            org.switchboard.testing.poll.Poll.await(Duration.ofSeconds(5), "the client saw the connection drop",
                    () -> meters.get("drachtio.client.connected").gauge().value() == 0);
            Socket second = acceptAndAuthenticate(server);
            DrachtioFrame again = read(second);
            assertThat(again.keyword()).isEqualTo("route");
            assertThat(again.token(2)).isEqualTo("invite");
            assertThat(meters.get("drachtio.client.reconnects").tag("server", at).counter().count()).isEqualTo(1);
            org.switchboard.testing.poll.Poll.await(Duration.ofSeconds(5), "the connection reported up again",
                    () -> meters.get("drachtio.client.connected").gauge().value() == 1);
            second.close();
            client.close();
        }
    }

    @Test
    void pingsKeepTheConnectionAliveAndMissedPongsDropIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = acceptLater(server);
            DrachtioClient client = DrachtioClient.connect(DrachtioClientConfig.builder().port(server.getLocalPort())
                    .ping(Duration.ofMillis(100), 2).requestTimeout(Duration.ofMillis(150)).reconnect(false).build(), IGNORE)
                    .get(5, TimeUnit.SECONDS);
            Socket s = accepted.get(5, TimeUnit.SECONDS);
            long started = System.nanoTime();
            // conformance check 34 (docs/drachtio.md): a ping every interval after authenticating to a v0.8.2+ server; answered, they go on
            for (int i = 0; i < 3; i++) {
                DrachtioFrame ping = read(s);
                assertThat(ping.keyword()).isEqualTo("ping");
                write(s, DrachtioFrame.of("s-p" + i, "response", ping.id(), "OK", "pong"));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(client.isConnected()).isTrue();
            // then the server goes silent: two missed pongs and the client closes the connection
            assertThat(read(s).keyword()).isEqualTo("ping");
            assertThat(read(s).keyword()).isEqualTo("ping");
            assertThatThrownBy(() -> read(s)).isInstanceOf(IOException.class);
            assertThat(client.isConnected()).isFalse();
            client.close();
        }
    }

    @Test
    void pingsOnlyServersThatUnderstandThem() {
        assertThat(DrachtioClient.pingsSupported("v0.9.10-1-g9c2dd4cb6a")).isTrue();
        assertThat(DrachtioClient.pingsSupported("v0.8.2")).isTrue();
        assertThat(DrachtioClient.pingsSupported("v0.8.1")).isFalse();
        assertThat(DrachtioClient.pingsSupported("v1.0.0")).isTrue();
        assertThat(DrachtioClient.pingsSupported("unknown")).isFalse();
    }
}
