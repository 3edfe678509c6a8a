package org.switchboard.drachtio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.wire.DrachtioFrame;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * Conformance checks (docs/drachtio.md) that need to see exact frames and exact SIP (9, 10, 11, 21, 22, 23, 26, 28, 29, 31): a raw
 * UDP socket plays the caller, the Java client plays the app and checks every token.
 */
class ServerConformanceIT {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\n";

    private DrachtioServer server;
    private DrachtioClient app;
    private final List<DrachtioFrame> frames = new CopyOnWriteArrayList<>();
    private final Set<DrachtioFrame> taken = ConcurrentHashMap.newKeySet();
    private DatagramSocket peer;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (peer != null) {
            peer.close();
        }
        server.close();
    }

    private void start(DrachtioServerConfig.Builder config, String... routes) throws Exception {
        start(config, TimerConfig.DEFAULTS, routes);
    }

    private void start(DrachtioServerConfig.Builder config, TimerConfig timers, String... routes) throws Exception {
        int port = FreePorts.udp();
        server = DrachtioServer.start(config.adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(TransportConfig.builder().listen(Transport.UDP, "127.0.0.1", port).build(),
                        timers)).build());
        app = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1")
                .port(server.adminAddress().getPort()).build(), frames::add).get(10, TimeUnit.SECONDS);
        for (String r : routes) {
            app.route(r).get(5, TimeUnit.SECONDS);
        }
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(200);
    }

    private int sipPort() {
        return server.sipListenPoints().get(0).address().getPort();
    }

    private void send(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), sipPort()));
    }

    /** The next SIP message the peer receives that matches, within 5 s (retransmissions and others skipped). */
    private String receive(Predicate<String> match) throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        byte[] buf = new byte[65535];
        while (System.nanoTime() < end) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                peer.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (match.test(m)) {
                return m;
            }
        }
        throw new AssertionError("the peer received no matching message within 5 s");
    }

    private Optional<String> receiveAny(Duration within) throws IOException {
        long end = System.nanoTime() + within.toNanos();
        byte[] buf = new byte[65535];
        while (System.nanoTime() < end) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                peer.receive(p);
                return Optional.of(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                // keep waiting
            }
        }
        return Optional.empty();
    }

    /** The first frame the app received that matches and was not returned before, waiting up to 5 s. */
    private DrachtioFrame frame(Predicate<DrachtioFrame> match) throws InterruptedException {
        AtomicReference<DrachtioFrame> found = new AtomicReference<>();
        Poll.await(Duration.ofSeconds(5), "a matching frame to the app", () -> {
            for (DrachtioFrame f : frames) {
                if (!taken.contains(f) && match.test(f)) {
                    found.set(f);
                    return true;
                }
            }
            return false;
        });
        taken.add(found.get());
        return found.get();
    }

    private String invite(String callId, String extraHeaders, String body) {
        int local = peer.getLocalPort();
        return "INVITE sip:service@127.0.0.1:" + sipPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK-" + callId + "\r\n"
                + "From: <sip:alice@127.0.0.1:" + local + ">;tag=ftag-" + callId + "\r\n"
                + "To: <sip:service@127.0.0.1:" + sipPort() + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + local + ">\r\n"
                + "Max-Forwards: 70\r\n" + extraHeaders
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private String inDialog(String method, String callId, String toTag, int cseq, String extra) {
        int local = peer.getLocalPort();
        return method + " sip:service@127.0.0.1:" + sipPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK-" + callId + "-" + method + cseq + "\r\n"
                + "From: <sip:alice@127.0.0.1:" + local + ">;tag=ftag-" + callId + "\r\n"
                + "To: <sip:service@127.0.0.1:" + sipPort() + ">;tag=" + toTag + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Max-Forwards: 70\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    private static String toTag(String response) {
        return response.replaceAll("(?s).*\r\nTo: [^\r\n]*;tag=([^;\r\n]+).*", "$1");
    }

    private static boolean isResponse(String m, int status, String method) {
        return m.startsWith("SIP/2.0 " + status + " ") && m.contains(" " + method + "\r\n");
    }

    @Test
    void aCallFromTheNetworkFrameByFrame() throws Exception {
        start(DrachtioServerConfig.builder().cdrs(true), "invite", "cdr:attempt", "cdr:start", "cdr:stop");
        String inviteText = invite("c9", "", SDP);
        send(inviteText);
        assertThat(receive(m -> m.startsWith("SIP/2.0 "))).startsWith("SIP/2.0 100 Trying");
        // check 9: layout A, the server's address, the INVITE as received (the top Via gets rport, as sofia does)
        DrachtioFrame delivered = frame(f -> f.keyword().equals("sip"));
        assertThat(delivered.token(2)).isEqualTo("network");
        assertThat(delivered.token(4)).isEqualTo("udp");
        assertThat(delivered.token(9)).isEmpty();
        assertThat(delivered.token(10)).isEqualTo("127.0.0.1");
        assertThat(delivered.token(11)).isEqualTo(Integer.toString(sipPort()));
        assertThat(delivered.sipMessage().orElseThrow().lines().filter(l -> !l.startsWith("Via:")).toList())
                .isEqualTo(inviteText.lines().filter(l -> !l.startsWith("Via:")).toList());
        String txn = delivered.transactionId();
        // check 10: 180 and 200 with one To-tag; the reply carries the dialog id and the 200 as sent
        app.sendSip(txn, "", Optional.empty(), "SIP/2.0 180 Ringing\r\n\r\n").get(5, TimeUnit.SECONDS);
        String ringing = receive(m -> isResponse(m, 180, "INVITE"));
        DrachtioFrame sent = app.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n" + SDP).get(5, TimeUnit.SECONDS);
        String ok = receive(m -> isResponse(m, 200, "INVITE"));
        assertThat(toTag(ok)).isEqualTo(toTag(ringing)).isNotBlank();
        String dialogId = "c9;from-tag=ftag-c9";
        assertThat(sent.token(10)).isEqualTo(txn);
        assertThat(sent.token(11)).isEqualTo(dialogId);
        assertThat(sent.token(13)).isEqualTo("Msg sent:");
        assertThat(sent.sipMessage().orElseThrow()).contains("Contact: <sip:127.0.0.1:" + sipPort() + ">",
                "Content-Type: application/sdp", ";tag=" + toTag(ok));
        assertThat(ok).contains("Contact: <sip:127.0.0.1:" + sipPort() + ">", "Content-Type: application/sdp");
        // check 11: the ACK and the BYE reach the app with the dialog id and fresh transaction ids
        send(inDialog("ACK", "c9", toTag(ok), 1, ""));
        DrachtioFrame ack = frame(f -> f.keyword().equals("sip") && f.sipMessage().orElse("").startsWith("ACK "));
        assertThat(ack.dialogId()).isEqualTo(dialogId);
        assertThat(ack.transactionId()).isNotEqualTo(txn);
        send(inDialog("BYE", "c9", toTag(ok), 2, ""));
        DrachtioFrame bye = frame(f -> f.keyword().equals("sip") && f.sipMessage().orElse("").startsWith("BYE "));
        assertThat(bye.dialogId()).isEqualTo(dialogId);
        assertThat(bye.transactionId()).isNotIn(txn, ack.transactionId());
        app.sendSip(bye.transactionId(), "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n").get(5, TimeUnit.SECONDS);
        receive(m -> isResponse(m, 200, "BYE"));
        // check 31: attempt (network), start (application, uas), stop (network, normal-release)
        assertThat(frame(f -> f.keyword().equals("cdr:attempt")).token(2)).isEqualTo("network");
        DrachtioFrame start = frame(f -> f.keyword().equals("cdr:start"));
        assertThat(List.of(start.token(2), start.token(4))).containsExactly("application", "uas");
        DrachtioFrame stop = frame(f -> f.keyword().equals("cdr:stop"));
        assertThat(List.of(stop.token(2), stop.token(4))).containsExactly("network", "normal-release");
        assertThat(server.dialogCount()).isZero();
    }

    @Test
    void anUpdateInTheEarlyDialogIsAnsweredOnTheInvitesTransaction() throws Exception {
        start(DrachtioServerConfig.builder(), "invite");
        send(invite("c23", "", SDP));
        String txn = frame(f -> f.keyword().equals("sip")).transactionId();
        app.sendSip(txn, "", Optional.empty(), "SIP/2.0 180 Ringing\r\n\r\n").get(5, TimeUnit.SECONDS);
        String tag = toTag(receive(m -> isResponse(m, 180, "INVITE")));
        send(inDialog("UPDATE", "c23", tag, 2, ""));
        DrachtioFrame update = frame(f -> f.sipMessage().orElse("").startsWith("UPDATE "));
        assertThat(update.transactionId()).isEqualTo(txn);
        assertThat(update.dialogId()).isEqualTo("c23;from-tag=ftag-c23");
        DrachtioFrame answered = app.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\nCSeq: 2 UPDATE\r\n\r\n")
                .get(5, TimeUnit.SECONDS);
        assertThat(answered.sipMessage().orElseThrow()).contains("CSeq: 2 UPDATE");
        receive(m -> isResponse(m, 200, "UPDATE"));
        app.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n" + SDP).get(5, TimeUnit.SECONDS);
        assertThat(toTag(receive(m -> isResponse(m, 200, "INVITE")))).isEqualTo(tag);
    }

    @Test
    void aReliableProvisionalNeedsACallerThatOffers100rel() throws Exception {
        start(DrachtioServerConfig.builder(), "invite");
        send(invite("c21", "", SDP));
        String txn = frame(f -> f.keyword().equals("sip")).transactionId();
        Throwable refused = app.sendSip(txn, "", Optional.empty(), "SIP/2.0 183 Session Progress\r\nRequire: 100rel\r\n\r\n")
                .handle((f, e) -> e).get(5, TimeUnit.SECONDS);
        assertThat(refused).hasMessageContaining("Remote endpoint does not support 100rel");
        app.sendSip(txn, "", Optional.empty(), "SIP/2.0 486 Busy Here\r\n\r\n").get(5, TimeUnit.SECONDS);
        receive(m -> isResponse(m, 486, "INVITE"));
    }

    @Test
    void proxyingWithMaxForwardsZeroIs483AndAnAnsweredTransactionIsUnknown() throws Exception {
        start(DrachtioServerConfig.builder(), "invite");
        send(invite("c26", "", SDP).replace("Max-Forwards: 70", "Max-Forwards: 0"));
        String txn = frame(f -> f.keyword().equals("sip")).transactionId();
        List<String> args = List.of(txn, "", "fullResponse", "", "serial", "", "", "sip:b@127.0.0.1:9");
        Throwable refused = app.request("proxy", args, Optional.of("INVITE sip:b@127.0.0.1:9 SIP/2.0\r\n\r\n"))
                .handle((f, e) -> e).get(5, TimeUnit.SECONDS);
        assertThat(refused).hasMessageContaining("Rejected with 483 Too Many Hops due to Max-Forwards value of 0");
        receive(m -> isResponse(m, 483, "INVITE"));
        Throwable unknown = app.request("proxy", args, Optional.of("INVITE sip:b@127.0.0.1:9 SIP/2.0\r\n\r\n"))
                .handle((f, e) -> e).get(5, TimeUnit.SECONDS);
        assertThat(unknown).hasMessageContaining("Unknown transaction id: " + txn);
    }

    @Test
    void spamIsDeclinedAndRegisterRulesApply() throws Exception {
        start(DrachtioServerConfig.builder().spammers("User-Agent", List.of("sip-cli", "friendly-scanner"))
                .rejectRegisterWithNoRealm(true), "invite", "register");
        send(invite("c28", "User-Agent: sip-cli 1.2\r\n", SDP));
        receive(m -> isResponse(m, 603, "INVITE"));
        int local = peer.getLocalPort();
        String register = "REGISTER sip:%s SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK-reg%d\r\n"
                + "From: <sip:alice@example.com>;tag=r%d\r\nTo: <sip:alice@example.com>\r\nCall-ID: reg%d\r\n"
                + "CSeq: 1 REGISTER\r\nContact: %s\r\nExpires: 3600\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        send(String.format(register, "example.com", 1, 1, 1, "*"));
        receive(m -> isResponse(m, 400, "REGISTER"));
        send(String.format(register, "127.0.0.1:" + sipPort(), 2, 2, 2, "<sip:alice@127.0.0.1:" + local + ">"));
        receive(m -> isResponse(m, 403, "REGISTER"));
        assertThat(frames.stream().filter(f -> f.keyword().equals("sip"))).as("nothing reached the app").isEmpty();
    }

    @Test
    void aBlacklistedSourceGetsNoResponseAtAll() throws Exception {
        start(DrachtioServerConfig.builder().blacklist(Set.of("127.0.0.1")), "invite");
        send(invite("c28b", "", SDP));
        assertThat(receiveAny(Duration.ofSeconds(1))).isEmpty();
        assertThat(frames).isEmpty();
    }

    @Test
    void aReliableProvisionalToTheAppsInviteLetsItPrack() throws Exception {
        start(DrachtioServerConfig.builder());
        int callee = FreePorts.udp();
        Sipp.Running uas = Sipp.scenario(Interop.path("sipp/uas-prack.xml"))
                .args("-i", "127.0.0.1", "-p", Integer.toString(callee), "-m", "1").deadline(Duration.ofSeconds(20)).start()
                .awaitUdpBound(callee, Duration.ofSeconds(10));
        DrachtioFrame sent = app.sendSip("", "", Optional.empty(), "INVITE sip:b@127.0.0.1:" + callee
                + " SIP/2.0\r\nSupported: 100rel\r\n\r\n" + SDP).get(5, TimeUnit.SECONDS);
        String txn = sent.transactionId();
        DrachtioFrame reliable = frame(f -> f.transactionId().equals(txn) && f.sipMessage().orElse("").startsWith("SIP/2.0 18"));
        String rseq = reliable.sipMessage().orElseThrow().replaceAll("(?s).*\r\nRSeq: *(\\d+).*", "$1");
        String dialogId = reliable.dialogId();
        assertThat(dialogId).endsWith(";from-tag=" + sent.sipMessage().orElseThrow().replaceAll("(?s).*\r\nFrom: [^\r\n]*;tag=([^;\r\n]+).*", "$1"));
        // check 22: the PRACK goes in the early dialog the reliable 1xx created
        DrachtioFrame prack = app.sendSip("", dialogId, Optional.empty(), "PRACK sip:placeholder SIP/2.0\r\nRAck: " + rseq
                + " " + sent.sipMessage().orElseThrow().replaceAll("(?s).*\r\nCSeq: (\\d+) INVITE.*", "$1") + " INVITE\r\n\r\n")
                .get(5, TimeUnit.SECONDS);
        assertThat(prack.isOk()).isTrue();
        frame(f -> f.transactionId().equals(prack.transactionId()) && f.sipMessage().orElse("").startsWith("SIP/2.0 200"));
        frame(f -> f.transactionId().equals(txn) && f.sipMessage().orElse("").startsWith("SIP/2.0 200"));
        app.sendSip("", dialogId, Optional.empty(), "ACK sip:b@127.0.0.1 SIP/2.0\r\n\r\n").get(5, TimeUnit.SECONDS);
        app.sendSip("", dialogId, Optional.empty(), "BYE sip:placeholder SIP/2.0\r\n\r\n").get(5, TimeUnit.SECONDS);
        Sipp.Result r = uas.await();
        assertThat(r.exitCode()).as(r.describe()).isZero();
    }

    @Test
    void aCallerCancelReachesTheAppAndLaterAnswersAreRefused() throws Exception {
        start(DrachtioServerConfig.builder(), "invite");
        send(invite("c13", "", SDP));
        String txn = frame(f -> f.keyword().equals("sip")).transactionId();
        int local = peer.getLocalPort();
        send("CANCEL sip:service@127.0.0.1:" + sipPort() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + local
                + ";branch=z9hG4bK-c13\r\nFrom: <sip:alice@127.0.0.1:" + local + ">;tag=ftag-c13\r\nTo: <sip:service@127.0.0.1:"
                + sipPort() + ">\r\nCall-ID: c13\r\nCSeq: 1 CANCEL\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        receive(m -> isResponse(m, 200, "CANCEL"));
        receive(m -> isResponse(m, 487, "INVITE"));
        DrachtioFrame cancel = frame(f -> f.keyword().equals("sip") && f.sipMessage().orElse("").startsWith("CANCEL "));
        assertThat(cancel.transactionId()).isEqualTo(txn);
        assertThat(cancel.dialogId()).isEmpty();
        Throwable late = app.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n" + SDP).handle((f, e) -> e)
                .get(5, TimeUnit.SECONDS);
        assertThat(late).hasMessageContaining("NOK");
    }

    @Test
    void aForkedProxyRelaysTheBestFinalResponseOr408() throws Exception {
        start(DrachtioServerConfig.builder(), TimerConfig.scaled(Duration.ofMillis(50)), "invite");
        int dead = FreePorts.udp();
        try (DatagramSocket decliner = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answerEveryInviteWith603(decliner));
            answering.setDaemon(true);
            answering.start();
            // one branch never answers (its Timer B gives 408 after 64 T1 = 3.2 s), the other declines: 603 wins
            send(invite("c25a", "", SDP));
            String txn = frame(f -> f.keyword().equals("sip")).transactionId();
            app.request("proxy", List.of(txn, "", "fullResponse", "", "simultaneous", "", "", "sip:x@127.0.0.1:" + dead,
                    "sip:y@127.0.0.1:" + decliner.getLocalPort()), Optional.of("INVITE sip:x@127.0.0.1 SIP/2.0\r\n\r\n"));
            receive(m -> isResponse(m, 603, "INVITE"));
        }
        // no branch answers at all: 408
        send(invite("c25b", "", SDP));
        String txn = frame(f -> f.keyword().equals("sip") && f.sipMessage().orElse("").contains("Call-ID: c25b"))
                .transactionId();
        app.request("proxy", List.of(txn, "", "fullResponse", "", "simultaneous", "", "", "sip:x@127.0.0.1:" + dead,
                "sip:z@127.0.0.1:" + FreePorts.udp()), Optional.of("INVITE sip:x@127.0.0.1 SIP/2.0\r\n\r\n"));
        receive(m -> isResponse(m, 408, "INVITE"));
    }

    private static void answerEveryInviteWith603(DatagramSocket socket) {
        byte[] buf = new byte[65535];
        try {
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                if (!m.startsWith("INVITE ")) {
                    continue;
                }
                StringBuilder r = new StringBuilder("SIP/2.0 603 Decline\r\n");
                for (String line : m.split("\r\n")) {
                    if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("Call-ID:")
                            || line.startsWith("CSeq:")) {
                        r.append(line).append("\r\n");
                    } else if (line.startsWith("To:")) {
                        r.append(line).append(";tag=decline\r\n");
                    }
                }
                byte[] out = r.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            }
        } catch (IOException e) {
            // the socket was closed: the test is over
        }
    }

    @Test
    void aSessionTimerWithoutRefresherTakesTheConfiguredDefault() throws Exception {
        start(DrachtioServerConfig.builder().minSessionExpires(Duration.ofSeconds(1)).defaultRefresher("uac"), "invite");
        send(invite("c27", "Supported: timer\r\nSession-Expires: 1\r\n", SDP));
        String txn = frame(f -> f.keyword().equals("sip")).transactionId();
        app.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n" + SDP).get(5, TimeUnit.SECONDS);
        String ok = receive(m -> isResponse(m, 200, "INVITE"));
        assertThat(ok).contains("Session-Expires: 1;refresher=uac", "Require: timer");
        send(inDialog("ACK", "c27", toTag(ok), 1, ""));
        long sent = System.nanoTime();
        String bye = receive(m -> m.startsWith("BYE "));
        assertThat(bye).contains("Session timer expired");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThan(Duration.ofMillis(700));
    }

    @Test
    void configuredServerBehaviours() throws Exception {
        try (DatagramSocket upstream = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            upstream.setSoTimeout(5000);
            start(DrachtioServerConfig.builder().alwaysSend180(true).optionsAutoRespond("probe/1.0")
                    .outboundProxy("sip:127.0.0.1:" + upstream.getLocalPort()).localDomain("example.org"), "invite");
            // --always-send-180: 180 before the app did anything, and the app's 200 keeps its tag
            send(invite("cfg1", "", SDP));
            String ringing = receive(m -> isResponse(m, 180, "INVITE"));
            String txn = frame(f -> f.keyword().equals("sip")).transactionId();
            app.sendSip(txn, "", Optional.empty(), "SIP/2.0 200 OK\r\n\r\n" + SDP).get(5, TimeUnit.SECONDS);
            assertThat(toTag(receive(m -> isResponse(m, 200, "INVITE")))).isEqualTo(toTag(ringing));
            // user-agent-options-auto-respond: no app involved
            int local = peer.getLocalPort();
            send("OPTIONS sip:127.0.0.1:" + sipPort() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + local
                    + ";branch=z9hG4bK-opt1\r\nFrom: <sip:probe@127.0.0.1>;tag=o1\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: opt1\r\nCSeq: 1 OPTIONS\r\nUser-Agent: probe/1.0\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            receive(m -> isResponse(m, 200, "OPTIONS"));
            // <outbound-proxy>: an app's request to any host goes to the proxy, Request-URI unchanged
            app.sendSip("", "", Optional.empty(), "MESSAGE sip:bob@10.9.9.9 SIP/2.0\r\nContent-Type: text/plain\r\n\r\nhi")
                    .get(5, TimeUnit.SECONDS);
            byte[] buf = new byte[65535];
            DatagramPacket got = new DatagramPacket(buf, buf.length);
            upstream.receive(got);
            assertThat(new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8))
                    .startsWith("MESSAGE sip:bob@10.9.9.9 SIP/2.0\r\n");
            // DRACHTIO_LOCAL_DOMAIN: requests into the local domain are loops
            Throwable loop = app.sendSip("", "", Optional.empty(), "OPTIONS sip:x@pbx.example.org SIP/2.0\r\n\r\n")
                    .handle((f, e) -> e).get(5, TimeUnit.SECONDS);
            assertThat(loop).hasMessageContaining("can not send request to myself");
            // a stray response with a second Via goes on to it, without the top one
            send("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:" + sipPort() + ";branch=z9hG4bKnone\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + upstream.getLocalPort() + ";branch=z9hG4bKup\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=s1\r\nTo: <sip:b@127.0.0.1>;tag=s2\r\nCall-ID: stray1\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            String forwarded;
            do {
                got = new DatagramPacket(buf, buf.length);
                upstream.receive(got);
                forwarded = new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8);
            } while (!forwarded.startsWith("SIP/2.0 200"));
            assertThat(forwarded).contains("Call-ID: stray1", "branch=z9hG4bKup").doesNotContain("z9hG4bKnone");
        }
    }

    @Test
    void aSilentTargetIsAbandonedAfterTheProvisionalTimeout() throws Exception {
        start(DrachtioServerConfig.builder(), "invite");
        try (DatagramSocket decliner = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answerEveryInviteWith603(decliner));
            answering.setDaemon(true);
            answering.start();
            send(invite("c-pt", "", SDP));
            String txn = frame(f -> f.keyword().equals("sip")).transactionId();
            long started = System.nanoTime();
            app.request("proxy", List.of(txn, "", "fullResponse", "", "serial", "300ms", "", "sip:x@127.0.0.1:"
                    + FreePorts.udp(), "sip:y@127.0.0.1:" + decliner.getLocalPort()),
                    Optional.of("INVITE sip:x@127.0.0.1 SIP/2.0\r\n\r\n"));
            receive(m -> isResponse(m, 603, "INVITE"));
            // the first target never answered: after 300 ms (not Timer B's 32 s) the second was tried
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(3));
        }
    }
}
