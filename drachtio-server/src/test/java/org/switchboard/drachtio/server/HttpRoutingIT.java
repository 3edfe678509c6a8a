package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.ua.CallFailedException;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;
import org.switchboard.sip.uri.SipUri;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.sipp.Sipp;

/**
 * HTTP request routing and outbound connections (conformance check 30 in docs/drachtio.md): a web service in the test answers
 * each INVITE's query with a JSON decision; drachtio-srf apps listen (outbound mode) or connect with tags.
 */
class HttpRoutingIT {

    private HttpServer web;
    private volatile String answer = "{}";
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private DrachtioServer server;

    @BeforeEach
    void start() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/route", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        int port = FreePorts.udp();
        server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", port).build(),
                        TimerConfig.DEFAULTS))
                .requestHandler(new RequestHandler("INVITE", "http://127.0.0.1:" + web.getAddress().getPort() + "/route", "GET"))
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
        web.stop(0);
    }

    private Sipp.Result call(Sipp sipp, int calls) {
        return sipp.target(TestServers.sipTarget(server))
                .args("-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udp()), "-m", Integer.toString(calls))
                .deadline(Duration.ofSeconds(30)).run();
    }

    @Test
    void routeToAListeningSrfAppOpensAConnectionPerCall() {
        int listen = FreePorts.udp();
        try (NodeApp app = NodeApp.start(Map.of("DRACHTIO_LISTEN", Integer.toString(listen)), "uas")) {
            answer = "{\"action\":\"route\",\"data\":{\"uri\":\"127.0.0.1:" + listen + "\"}}";
            Sipp.Result r = call(Sipp.builtIn("uac"), 3);
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.successfulCalls()).isEqualTo(3);
            assertThat(app.count("answered", 3)).isEqualTo(3);
        }
        assertThat(queries).hasSize(3).allSatisfy(q -> assertThat(q).contains("method=INVITE", "uriUser=service",
                "protocol=udp", "source_address=127.0.0.1", "fromUser=sipp", "domain=127.0.0.1"));
    }

    @Test
    void routeToNobodyListeningIs480() {
        answer = "{\"action\":\"route\",\"data\":{\"uri\":\"127.0.0.1:" + FreePorts.udp() + "\"}}";
        Sipp.Result r = call(Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), 1);
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    @Test
    void rejectAnswersTheGivenStatus() {
        answer = "{\"action\":\"reject\",\"data\":{\"status\":404,\"reason\":\"Nobody Here\"}}";
        Sipp.Result r = call(Sipp.scenario(Interop.path("sipp/uac-expect-404.xml")), 1);
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    @Test
    void routeByTagPicksOnlyAnInboundAppWithThatTag() {
        try (NodeApp untagged = NodeApp.start(server.adminAddress(), "uas");
             NodeApp tagged = NodeApp.start(Map.of("DRACHTIO_PORT", Integer.toString(server.adminAddress().getPort()),
                     "DRACHTIO_TAGS", "blue"), "uas")) {
            answer = "{\"action\":\"route\",\"data\":{\"tag\":\"blue\"}}";
            Sipp.Result r = call(Sipp.builtIn("uac"), 2);
            assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(2);
            assertThat(tagged.count("answered", 2)).isEqualTo(2);
            assertThat(untagged.count("answered")).isZero();
            answer = "{\"action\":\"route\",\"data\":{\"tag\":\"green\"}}";
            assertThat(call(Sipp.scenario(Interop.path("sipp/uac-expect-480.xml")), 1).exitCode()).isZero();
        }
    }

    @Test
    void proxyActionForwardsWithoutAnyApp() throws Exception {
        int callee = FreePorts.udp();
        Sipp.Running uas = Sipp.scenario(Interop.path("sipp/uas.xml")).args("-i", "127.0.0.1", "-p", Integer.toString(callee), "-m", "2")
                .deadline(Duration.ofSeconds(30)).start();
        uas.awaitUdpBound(callee, Duration.ofSeconds(10));
        answer = "{\"action\":\"proxy\",\"data\":{\"destination\":[\"sip:b@127.0.0.1:" + callee
                + "\"],\"recordRoute\":true}}";
        // sipp sends everything to the server; the Record-Route brings ACK and BYE back through it to the callee
        Sipp.Result r = call(Sipp.scenario(Interop.path("sipp/uac-proxy.xml")).args("-d", "100"), 2);
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(2);
        Sipp.Result b = uas.await();
        assertThat(b.successfulCalls()).as(b.describe()).isEqualTo(2);
    }

    @Test
    void redirectAnswers302AndAMalformedAnswer500() throws Exception {
        try (UserAgent caller = UserAgent.start(UserAgentConfig.builder().stack(new SipStackConfig(TransportConfig.builder()
                .listen(Transport.UDP, "127.0.0.1", 0).build(), TimerConfig.DEFAULTS)).build())) {
            SipUri target = SipUri.parse("sip:service@" + TestServers.sipTarget(server));
            Destination to = Destination.ofLiteral(target).orElseThrow();
            answer = "{\"action\":\"redirect\",\"data\":{\"contact\":[\"sip:a@10.0.0.1\",\"sip:b@10.0.0.2\"]}}";
            assertThat(failure(caller, target, to)).isEqualTo(302);
            answer = "{\"action\":";
            assertThat(failure(caller, target, to)).isEqualTo(500);
            answer = "{\"action\":\"reject\",\"data\":{}}";
            assertThat(failure(caller, target, to)).isEqualTo(500);
        }
    }

    private static int failure(UserAgent caller, SipUri target, Destination to) throws Exception {
        try {
            caller.invite(target, to, "v=0\r\n").get(10, TimeUnit.SECONDS);
            return 200;
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            return ((CallFailedException) e.getCause()).status();
        }
    }
}
