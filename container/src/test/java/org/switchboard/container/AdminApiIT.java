package org.switchboard.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.container.admin.AdminServer;
import org.switchboard.container.admin.Route;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.sipp.Sipp;

/**
 * The admin API over plain HTTP against a running container (embedded server and media server, the uas and b2bua
 * samples): every route refuses a request without the token (a refused upload is read to its end, so that its client
 * gets the 401), a live call is listed with its ladder and hung up, a B2BUA's
 * legs name each other, the event stream says calls moved between its ticks, an archive is deployed by upload and undeployed, the settings hide the secrets, the boot's metrics
 * (behind the token) and health (open) are served, and a generated token lives in an owner-only file.
 */
class AdminApiIT {

    private static final String TOKEN = "admin-token-for-the-api-test";

    @TempDir
    static Path dir;
    static int sipPort;
    static int callee;
    static Container container;
    static AdminClient api;

    @BeforeAll
    static void start() throws Exception {
        TestDeployments deployments = TestDeployments.in(dir).samples("uas", "b2bua");
        sipPort = deployments.sipPort();
        callee = FreePorts.udp();
        System.setProperty("switchboard.samples.b2bua.targets", "127.0.0.1:" + callee);
        container = deployments.start("udp,tcp", "admin.listen", "127.0.0.1:0", "admin.token", TOKEN, "deployments.scan", "200");
        api = new AdminClient(container.admin().orElseThrow().port(), TOKEN);
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            container.close();
        }
    }

    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        NoCallLeft.assertNoCallLeft(container);
    }

    @Test
    void everyRouteRefusesARequestWithoutTheRightToken() throws Exception {
        Path archive = Files.writeString(dir.resolve("any.war"), "not an archive");
        for (AdminClient client : List.of(api.withToken(null), api.withToken("wrong-token-of-the-same-size!"))) {
            List<AdminClient.Answer> answers = new ArrayList<>();
            for (String path : List.of("/api/calls", "/api/calls/ended", "/api/calls/some-call-id", "/api/deployments", "/api/media",
                    "/api/settings", "/api/stats", "/api/events", "/", "/console.js")) {
                answers.add(client.get(path));
            }
            answers.add(client.delete("/api/calls/some-call-id"));
            answers.add(client.put("/api/deployments/any.war", archive));
            answers.add(client.delete("/api/deployments/uas"));
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.response().uri().toString()).isEqualTo(401));
        }
        assertThat(Files.exists(dir.resolve("deployments/any.war"))).isFalse();
        assertThat(api.get("/api/deployments").json().get("deployments")).hasSize(2); // uas is still deployed
    }

    @Test
    void aRefusedUploadIsReadToItsEndSoItsClientGetsThe401AndCanSendTheNextRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", container.admin().orElseThrow().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            byte[] archive = new byte[8 << 20]; // more than the sockets' buffers hold: the server must read it
            out.write(("PUT /api/deployments/sneaky.war HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\n"
                    + "Content-Length: " + archive.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(archive); // a reset here or below is what a client saw when the server closed on the unread body
            out.flush();
            assertThat(responseHead(in)).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("Connection: close");

            out.write(("GET /api/deployments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(responseHead(in)).startsWith("HTTP/1.1 200");
        }
        assertThat(Files.exists(dir.resolve("deployments/sneaky.war"))).isFalse();
    }

    /** Reads one response from {@code in}: returns its head, and skips its body. */
    private static String responseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed after " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?im)^Content-Length: *(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }

    @Test
    void aLoginSetsAnHttpOnlyStrictCookieAndTakesTheTokenOutOfTheAddress() throws Exception {
        HttpClient http = HttpClient.newHttpClient(); // follows no redirect
        String base = "http://127.0.0.1:" + container.admin().orElseThrow().port();
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/?token=nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/?token=" + TOKEN)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("switchboard_admin=" + TOKEN).containsIgnoringCase("HttpOnly").contains("SameSite=Strict");

        HttpResponse<String> console = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("<title>Switchboard console</title>");
    }

    @Test
    void aLiveCallIsListedWithItsLadderAndHungUpFromTheApi() throws Exception {
        // a caller that stays until the far end hangs up (up to 20 s): here the API
        Sipp.Running caller = Sipp.scenario(Interop.path("switchboard-sipp/uac-await-bye.xml")).target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0", "-s", "uas", "-m", "1").deadline(Duration.ofSeconds(90)).start();
        AtomicReference<JsonNode> call = new AtomicReference<>();
        Poll.await(Duration.ofSeconds(20), "the call listed as confirmed", () -> {
            JsonNode calls = json("/api/calls");
            if (calls.get("total").asInt() == 1 && calls.get("calls").get(0).get("state").asText().equals("confirmed")) {
                call.set(calls.get("calls").get(0));
                return true;
            }
            return false;
        });
        assertThat(call.get().get("application").asText()).startsWith("uas#"); // the version that took it
        String callId = call.get().get("callId").asText();
        Poll.await(Duration.ofSeconds(10), "the ACK on the ladder", () -> labels(callId).contains("ACK"));
        assertThat(labels(callId)).containsSubsequence("INVITE", "100 Trying", "200 OK", "ACK");
        JsonNode invite = json("/api/calls/" + callId).get("events").get(0);
        assertThat(invite.get("kind").asText()).isEqualTo("received");
        assertThat(invite.get("text").asText()).startsWith("INVITE sip:uas@").contains("Call-ID: " + callId);

        AdminClient.Answer hungUp = api.delete("/api/calls/" + callId);
        assertThat(hungUp.status()).as(hungUp.body()).isEqualTo(200);
        Poll.await(Duration.ofSeconds(20), "the call gone", () -> json("/api/calls").get("total").asInt() == 0);
        Sipp.Result sipp = caller.await();
        assertThat(sipp.successfulCalls()).as(sipp.describe()).isEqualTo(1);
        Poll.until(Duration.ofSeconds(10), () -> {
            List<String> ladder = labels(callId);
            int bye = ladder.lastIndexOf("BYE");
            return bye > ladder.indexOf("ACK") && ladder.subList(bye, ladder.size()).contains("200 OK");
        });
        List<String> ladder = labels(callId);
        assertThat(ladder).as("the BYE's 200 on the ended call's ladder").containsSubsequence("ACK", "BYE", "200 OK");
        assertThat(json("/api/calls/ended").get("calls").findValuesAsText("callId")).contains(callId);
        assertThat(api.delete("/api/calls/" + callId).status()).isEqualTo(404);
    }

    @Test
    void theEventStreamSaysCallsMovedBetweenTheTicks() throws Exception {
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpResponse<java.util.stream.Stream<String>> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + container.admin().orElseThrow().port() + "/api/events"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try {
                events.body().forEach(lines::add);
            } catch (java.io.UncheckedIOException e) {
                // the test closed the stream
            }
        }, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            Poll.await(Duration.ofSeconds(10), "the first stats event", () -> lines.contains("event: stats"));
            Sipp.Result call = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0", "-s", "uas",
                    "-m", "1", "-d", "100").deadline(Duration.ofSeconds(30)).run();
            assertThat(call.successfulCalls()).as(call.describe()).isEqualTo(1);
            Poll.await(Duration.ofSeconds(10), "a change event", () -> lines.contains("event: change"));
        } finally {
            events.body().close();
        }
    }

    @Test
    void aB2buaCallNamesItsLegs() throws Exception {
        Sipp.Running b = SamplesIT.callee(null, callee, 1);
        Sipp.Result a = Sipp.builtIn("uac").target("127.0.0.1:" + sipPort).args("-i", "127.0.0.1", "-p", "0", "-s", "b2b",
                "-m", "1", "-d", "200").deadline(Duration.ofSeconds(40)).run();
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        assertThat(b.await().successfulCalls()).isEqualTo(1);
        JsonNode aLeg = null;
        for (JsonNode c : json("/api/calls/ended").get("calls")) {
            if (c.get("application").asText().startsWith("b2bua#") && labels(c.get("callId").asText()).get(0).equals("INVITE")
                    && json("/api/calls/" + c.get("callId").asText()).get("events").get(0).get("kind").asText().equals("received")) {
                aLeg = c;
                break;
            }
        }
        assertThat(aLeg).as("the A leg among the ended calls").isNotNull();
        assertThat(aLeg.get("legs")).hasSize(1);
        JsonNode bLeg = json("/api/calls/" + aLeg.get("legs").get(0).asText());
        assertThat(bLeg.get("events").get(0).get("kind").asText()).isEqualTo("sent"); // the node's INVITE to the callee
        assertThat(bLeg.get("events").get(0).get("peer").asText()).isEqualTo("udp 127.0.0.1:" + callee);
        assertThat(bLeg.get("legs").get(0).asText()).isEqualTo(aLeg.get("callId").asText());
    }

    @Test
    void anArchiveIsDeployedByUploadAndUndeployed() throws Exception {
        AdminClient.Answer deployed = api.put("/api/deployments/registrar-proxy.war",
                Path.of("target/samples/sample-registrar-proxy.war"));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        assertThat(deployed.json().get("deployments").findValuesAsText("name")).contains("registrar-proxy", "uas", "b2bua");
        JsonNode version = null;
        for (JsonNode d : json("/api/deployments").get("deployments")) {
            version = d.get("name").asText().equals("registrar-proxy") ? d : version;
        }
        assertThat(version.get("state").asText()).isEqualTo("active");
        assertThat(version.get("version").asText()).startsWith("registrar-proxy#");

        Path broken = Files.writeString(dir.resolve("broken.war"), "not a zip");
        AdminClient.Answer refused = api.put("/api/deployments/broken.war", broken);
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().get("error").asText()).contains("broken.war");
        assertThat(api.put("/api/deployments/..%2Fescape.war", broken).status()).isEqualTo(400);
        api.delete("/api/deployments/broken");

        AdminClient.Answer undeployed = api.delete("/api/deployments/registrar-proxy");
        assertThat(undeployed.status()).as(undeployed.body()).isEqualTo(200);
        assertThat(json("/api/deployments").get("deployments").findValuesAsText("name")).doesNotContain("registrar-proxy");
        assertThat(api.delete("/api/deployments/registrar-proxy").status()).isEqualTo(404);
    }

    @Test
    void theSettingsInEffectHideTheSecretsAndTheMediaServersShowTheirLoad() throws Exception {
        AdminClient.Answer settings = api.get("/api/settings");
        assertThat(settings.body()).doesNotContain(TOKEN);
        assertThat(settings.json().get("settings").get("admin.token").asText()).isEqualTo("***");
        assertThat(settings.json().get("settings").get("admin.listen").asText()).isEqualTo("127.0.0.1:0");
        JsonNode servers = json("/api/media").get("servers");
        assertThat(servers).hasSize(1);
        assertThat(servers.get(0).get("connected").asBoolean()).isTrue();
        assertThat(servers.get(0).get("maxSessions").asInt()).isPositive();
        // no call up: what the switch runs, read from it now, is empty; its clock is read only while a console is open
        assertThat(servers.get(0).get("channelsTotal").asInt()).isZero();
        assertThat(servers.get(0).get("channels").isArray()).isTrue();
        assertThat(servers.get(0).get("channels")).isEmpty();
        assertThat(servers.get(0).get("conferences").isArray()).isTrue();
        assertThat(servers.get(0).get("conferences")).isEmpty();
        assertThat(servers.get(0).has("clock")).isTrue();
    }

    @Test
    void theBootServesMetricsBehindTheTokenAndHealthOpen() throws Exception {
        AdminClient.Answer live = api.withToken(null).get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("status").asText()).isEqualTo("UP");
        assertThat(live.response().headers().firstValue("Content-Type")).hasValue("application/json");
        // another test may leave a failed archive behind, which alone makes the node not ready: read the parts
        AdminClient.Answer ready = api.withToken(null).get("/health/ready");
        assertThat(ready.status()).as(ready.body()).isIn(200, 503);
        assertThat(ready.json().get("checks").get("drachtio").get("status").asText()).as(ready.body()).isEqualTo("UP");
        assertThat(ready.json().get("checks").get("sip").get("status").asText()).as(ready.body()).isEqualTo("UP");
        assertThat(api.withToken(null).get("/metrics").status()).isEqualTo(401);
        AdminClient.Answer metrics = api.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("sip_requests_received_total", "jvm_memory_used_bytes");
        assertThat(api.delete("/health/live").status()).isEqualTo(405);
        AdminServer admin = container.admin().orElseThrow();
        assertThatThrownBy(() -> admin.route("/metrics", true, () -> new Route.Reply(200, "text/plain", "")))
                .as("a path is registered once").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> admin.route("/api/calls", true, () -> new Route.Reply(200, "text/plain", "")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGeneratedTokenIsInAnOwnerOnlyFileThatGoesWithTheContainer() throws Exception {
        Path tokenFile;
        try (Container other = Container.start(ContainerConfig.of(Map.of(
                "admin.listen", "127.0.0.1:0",
                "media.mode", "none",
                "sip.contacts", "sip:127.0.0.1:" + FreePorts.udp() + ";transport=udp",
                "deployments.dir", dir.resolve("other").toString(),
                "deployments.work", dir.resolve("other-work").toString())))) {
            tokenFile = other.admin().orElseThrow().tokenFile().orElseThrow();
            assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String token = Files.readString(tokenFile).trim();
            assertThat(token).hasSizeGreaterThanOrEqualTo(32);
            AdminClient client = new AdminClient(other.admin().orElseThrow().port(), token);
            assertThat(client.get("/api/calls").status()).isEqualTo(200);
            assertThat(client.withToken(null).get("/api/calls").status()).isEqualTo(401);
            assertThat(other.summary()).noneMatch(line -> line.contains(token)).anyMatch(line -> line.contains(tokenFile.toString()));
        }
        assertThat(tokenFile).doesNotExist();
    }

    private static JsonNode json(String path) {
        try {
            AdminClient.Answer a = api.get(path);
            assertThat(a.status()).as(path + ": " + a.body()).isEqualTo(200);
            return a.json();
        } catch (Exception e) {
            throw new AssertionError(path, e);
        }
    }

    private static List<String> labels(String callId) {
        List<String> labels = new ArrayList<>();
        json("/api/calls/" + callId).get("events").forEach(e -> labels.add(e.get("label").asText()));
        return labels;
    }
}
