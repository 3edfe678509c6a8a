package org.switchboard.container.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.drachtio.client.DrachtioClient;
import org.switchboard.drachtio.client.DrachtioClientConfig;
import org.switchboard.drachtio.server.DrachtioServer;
import org.switchboard.drachtio.server.DrachtioServerConfig;
import org.switchboard.drachtio.server.SipServerMain;
import org.switchboard.sip.app.B2bua;
import org.switchboard.sip.app.B2buaOptions;
import org.switchboard.sip.app.CdrEvent;
import org.switchboard.sip.app.Dialog;
import org.switchboard.sip.app.DialogEvent;
import org.switchboard.sip.app.ProxyOptions;
import org.switchboard.sip.app.ProxyResult;
import org.switchboard.sip.app.RequestOptions;
import org.switchboard.sip.app.SipError;
import org.switchboard.sip.app.Srf;
import org.switchboard.sip.app.UasOptions;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.middleware.ErrorMiddleware;
import org.switchboard.sip.middleware.Middleware;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.interop.Interop;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.sipp.Sipp;

/**
 * The Srf implementation against the embedded drachtio server and sipp, with a scripted application in place of
 * a deployed one: the application-API checks (35-40 in docs/drachtio.md) and the UAC, UAS and dialog operations.
 * T1 is 50 ms, so the ACK timeout comes after 3.2 s.
 */
class SrfIT {

    static final String SDP = "v=0\r\no=app 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";

    static DrachtioServer server;
    static DrachtioClient client;
    static SipCore core;
    static ScriptedApp app = new ScriptedApp();
    static Srf srf;
    static int sipPort;

    /** An application whose behaviour each test scripts. */
    static final class ScriptedApp implements Application {
        volatile Consumer<SipRequest> onRequest = r -> { };
        volatile boolean observing = true;
        final BlockingQueue<DialogEvent> events = new LinkedBlockingQueue<>();

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public List<Middleware> middleware(String method) {
            return List.of();
        }

        @Override
        public List<ErrorMiddleware> errorMiddleware() {
            return List.of();
        }

        @Override
        public boolean observes(SipRequest request) {
            return observing;
        }

        @Override
        public void fireRequest(SipRequest request) {
            onRequest.accept(request);
        }

        @Override
        public void fireDialogEvent(DialogEvent event) {
            events.add(event);
        }

        @Override
        public boolean observesCdrs() {
            return false;
        }

        @Override
        public void fireCdr(CdrEvent cdr) {
        }

        @Override
        public void fireEvent(Object event, java.lang.annotation.Annotation... qualifiers) {
            throw new AssertionError("this application makes no media: " + event);
        }

        @Override
        public ClassLoader classLoader() {
            return getClass().getClassLoader();
        }
    }

    // short, so that the test of a request nobody answers is quick; every other test answers at once
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    @BeforeAll
    static void start() throws Exception {
        sipPort = FreePorts.udp();
        server = DrachtioServer.start(DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .sip(new SipStackConfig(SipServerMain.transports(List.of("sip:127.0.0.1:" + sipPort + ";transport=udp"), 1500),
                        TimerConfig.scaled(Duration.ofMillis(50))))
                .build());
        core = new SipCore(routerTo(app, Set.of("invite", "subscribe", "message")), List.of(), List.of(), ANSWER_TIMEOUT, false,
                org.switchboard.metrics.Meters.none());
        var listener = core.listener();
        client = DrachtioClient.connect(DrachtioClientConfig.builder().host("127.0.0.1").port(server.adminAddress().getPort())
                .peerFrameLimit(1 << 20).build(), listener).get(10, TimeUnit.SECONDS);
        core.attach(client, true);
        srf = core.srf(app);
        Poll.await(Duration.ofSeconds(10), "the app's routes registered with the server",
                () -> Stream.of("invite", "subscribe", "message").allMatch(verb -> server.routes(verb) > 0));
    }

    @AfterAll
    static void stop() {
        core.close();
        client.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        app.onRequest = r -> { };
        app.observing = true;
        app.events.clear();
    }

    /** Nothing of a test's calls outlives them: every per-call registry of the core and the client is empty. */
    @AfterEach
    void nothingOfTheCallsIsLeft() throws Exception {
        boolean idle = Poll.until(Duration.ofSeconds(40), () -> core.isIdle() && client.busyCalls() == 0 && server.holdsNoCall());
        assertThat(idle).as("after the test's calls ended: %s; client: %d call lanes; server: %s", core.stats(),
                client.busyCalls(), server.perCallState()).isTrue();
    }

    /** A router that hands every request to {@code app}, which takes {@code methods}. */
    static ApplicationRouter routerTo(Application app, Set<String> methods) {
        return new ApplicationRouter() {
            @Override
            public Optional<Application> route(SipRequest request) {
                return Optional.of(app);
            }

            @Override
            public Collection<Application> active() {
                return List.of(app);
            }

            @Override
            public Set<String> methods() {
                return methods;
            }
        };
    }

    static Sipp.Result call(Path scenario, String... args) {
        return (scenario == null ? Sipp.builtIn("uac") : Sipp.scenario(scenario)).target("127.0.0.1:" + sipPort)
                .args("-i", "127.0.0.1", "-p", "0").args(args).deadline(Duration.ofSeconds(30)).run();
    }

    static Sipp.Running callee(Path scenario, int port) throws InterruptedException {
        Sipp.Running r = (scenario == null ? Sipp.builtIn("uas") : Sipp.scenario(scenario))
                .args("-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "1").deadline(Duration.ofSeconds(30)).start();
        return r.awaitUdpBound(port, Duration.ofSeconds(10));
    }

    static Path own(String name) throws Exception {
        return Path.of(SrfIT.class.getResource("/sipp/" + name).toURI());
    }

    static DialogEvent next(DialogEvent.Type type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            DialogEvent e = app.events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.type() == type) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event");
    }

    @Test
    void aRequestNoObserverTakesIsAnswered404() throws Exception {
        app.observing = false;
        Sipp.Result r = call(Interop.path("sipp/uac-expect-404.xml"), "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void createUasMakesADialogAndAByeEndsItWithAnAutomatic200() throws Exception {
        CompletableFuture<Dialog> made = new CompletableFuture<>();
        app.onRequest = invite -> srf.createUas(invite, UasOptions.withSdp(SDP)).whenComplete((d, e) -> {
            if (e != null) {
                made.completeExceptionally(e);
            } else {
                made.complete(d);
            }
        });
        Sipp.Result r = call(null, "-m", "1", "-d", "300");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        Dialog d = made.get(5, TimeUnit.SECONDS);
        assertThat(d.role()).isEqualTo(Dialog.Role.UAS);
        assertThat(d.id()).startsWith(d.callId() + ";from-tag=");
        assertThat(d.remoteSdp()).contains("m=audio");
        assertThat(next(DialogEvent.Type.ACK).dialog()).isSameAs(d);
        DialogEvent destroy = next(DialogEvent.Type.DESTROY);
        assertThat(destroy.reason()).isEqualTo("BYE");
        assertThat(d.isActive()).isFalse();
        assertThat(d.destroyed().toCompletableFuture().get(5, TimeUnit.SECONDS).type()).isEqualTo(DialogEvent.Type.DESTROY);
    }

    @Test
    void anObserverThatBlocksHoldsUpOnlyItsOwnCall() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        List<String> answered = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch fastAnswered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean otherCallWentOn = new java.util.concurrent.atomic.AtomicBoolean();
        app.onRequest = invite -> {
            boolean first = calls.incrementAndGet() == 1;
            if (first) {
                try {
                    // the first call's observer blocks until the second call is answered: it can only be if
                    // blocking one call's lane holds up no other
                    otherCallWentOn.set(fastAnswered.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            srf.createUas(invite, UasOptions.withSdp(SDP)).thenRun(() -> {
                answered.add(first ? "slow" : "fast");
                if (!first) {
                    fastAnswered.countDown();
                }
            });
        };
        Sipp.Result r = call(null, "-m", "2", "-r", "20", "-d", "100");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(2);
        assertThat(otherCallWentOn).as("the second call answered while the first call's observer blocked").isTrue();
        assertThat(answered).containsExactly("fast", "slow");
    }

    @Test
    void reInviteAndInfoReachTheDialogAndAreAnsweredAutomatically() throws Exception {
        app.onRequest = invite -> srf.createUas(invite, UasOptions.withSdp(SDP));
        Sipp.Result r = call(Interop.path("switchboard-sipp/uac-reinvite-info.xml"), "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        DialogEvent modify = next(DialogEvent.Type.MODIFY); // the re-INVITE's SDP says sendonly: a change
        assertThat(modify.request()).get().extracting(SipRequest::method).isEqualTo("INVITE");
        assertThat(modify.dialog().remoteSdp()).contains("a=sendonly");
        assertThat(next(DialogEvent.Type.INFO).isAnswered()).isTrue();
        next(DialogEvent.Type.DESTROY);
    }

    @Test
    void anUnsolicitedByeEndsTheDialogWithItsReason() throws Exception {
        app.onRequest = invite -> srf.createUas(invite, UasOptions.withSdp(SDP));
        Sipp.Result r = call(Interop.path("switchboard-sipp/uac-withhold-ack.xml"), "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(next(DialogEvent.Type.DESTROY).reason()).isEqualTo("ACK timeout");
    }

    /**
     * The server ends a call CANCELed after its 200 (before the ACK) and tells the container, whose report of that
     * 200 can come second: the soak found such dialogs left in the container for good. Fifty calls make the race.
     */
    @Test
    void aCallCanceledAfterItsAnswerEndsHereEvenWhenTheServerSaysSoBeforeTheAnswerIsReported() throws Exception {
        app.onRequest = invite -> srf.createUas(invite, UasOptions.withSdp(SDP));
        Sipp.Result r = call(Interop.path("switchboard-sipp/uac-cancel-after-200.xml"), "-m", "50", "-r", "50");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(50);
        for (int i = 0; i < 50; i++) {
            assertThat(next(DialogEvent.Type.DESTROY).reason()).isEqualTo("CANCEL after 200 OK");
        }
    }

    @Test
    void createUacAnswersADigestChallengeAndSendsTheAck() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas-auth.xml"), port);
        List<Integer> provisional = new java.util.concurrent.CopyOnWriteArrayList<>();
        Dialog d = srf.createUac(RequestOptions.to("sip:bob@127.0.0.1:" + port).sdp(SDP).credentials("bob", "secret")
                .onProvisional(p -> provisional.add(p.status())).build()).get(10, TimeUnit.SECONDS);
        assertThat(d.role()).isEqualTo(Dialog.Role.UAC);
        assertThat(d.remoteSdp()).contains("m=audio");
        assertThat(provisional).contains(180);
        d.destroy().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Sipp.Result r = b.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void createUacAcknowledgesAReliableProvisionalWithPrack() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas-prack.xml"), port);
        Dialog d = srf.createUac(RequestOptions.to("sip:bob@127.0.0.1:" + port).sdp(SDP).header("Supported", "100rel").build())
                .get(10, TimeUnit.SECONDS);
        d.destroy().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Sipp.Result r = b.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void aFailureResponseFailsCreateUacWithItsStatus() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas-404.xml"), port);
        CompletableFuture<Dialog> f = srf.createUac(RequestOptions.to("sip:bob@127.0.0.1:" + port).sdp(SDP).build());
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SipError.class).extracting(e -> ((SipError) e).status()).isEqualTo(404);
        assertThat(b.await().successfulCalls()).isEqualTo(1);
    }

    @Test
    void cancelingCreateUacSendsCancel() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas-cancel.xml"), port);
        CountDownLatch ringing = new CountDownLatch(1);
        CompletableFuture<Dialog> f = srf.createUac(RequestOptions.to("sip:bob@127.0.0.1:" + port).sdp(SDP)
                .onProvisional(p -> ringing.countDown()).build());
        assertThat(ringing.await(10, TimeUnit.SECONDS)).as("the callee rings").isTrue();
        assertThat(f.cancel(true)).isTrue();
        Sipp.Result r = b.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void aB2buaCopiesHeadersBothWaysRewritesTheAnswerAndLinksTheLegs() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(own("uas-expect-x-account.xml"), port);
        CompletableFuture<B2bua> bridged = new CompletableFuture<>();
        app.onRequest = invite -> srf.createB2bua(invite, B2buaOptions.to(RequestOptions.to("sip:bob@127.0.0.1:" + port).build())
                .propagate("X-Account", "X-Color").answerToA(sdp -> CallDialog.direction(sdp, "sendrecv")))
                .whenComplete((call, e) -> {
                    if (e != null) {
                        bridged.completeExceptionally(e);
                    } else {
                        bridged.complete(call);
                    }
                });
        Sipp.Result a = call(own("uac-propagation.xml"), "-m", "1");
        assertThat(a.successfulCalls()).as(a.describe()).isEqualTo(1);
        Sipp.Result r = b.await();
        assertThat(r.successfulCalls()).as("A's BYE ended the B leg: " + r.describe()).isEqualTo(1);
        B2bua call = bridged.get(5, TimeUnit.SECONDS);
        assertThat(call.uas().localSdp()).contains("a=sendrecv");
        assertThat(call.uac().isActive()).isFalse();
    }

    @Test
    void modifyRunsReInvitesOneAfterAnother() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(own("uas-two-reinvites.xml"), port);
        Dialog d = srf.createUac(RequestOptions.to("sip:bob@127.0.0.1:" + port).sdp(SDP).build()).get(10, TimeUnit.SECONDS);
        CompletionStage<SipResponse> hold = d.hold();
        CompletionStage<SipResponse> unhold = d.unhold();
        assertThat(hold.toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(unhold.toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(d.localSdp()).contains("a=sendrecv");
        assertThat(d.remoteSdp()).contains("a=sendrecv");
        d.destroy().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Sipp.Result r = b.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void updateReferAndNotifyFromTheFarEndAreEventsWithTheirUsualAnswers() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(own("uas-update-refer-notify.xml"), port);
        Dialog d = srf.createUac(RequestOptions.to("sip:bob@127.0.0.1:" + port).sdp(SDP).build()).get(10, TimeUnit.SECONDS);
        assertThat(next(DialogEvent.Type.UPDATE).dialog()).isSameAs(d);
        assertThat(next(DialogEvent.Type.REFER).request()).get().extracting(q -> q.header("Refer-To").orElse(""))
                .asString().contains("carol");
        assertThat(next(DialogEvent.Type.NOTIFY).request()).get().extracting(SipRequest::bodyAsString).asString()
                .startsWith("SIP/2.0 200");
        assertThat(d.isActive()).as("a NOTIFY ends only subscription dialogs").isTrue();
        d.destroy().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Sipp.Result r = b.await();
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void aSubscriptionIsNotifiedAndEndedWithNotifyTerminated() throws Exception {
        app.onRequest = subscribe -> srf.createUas(subscribe, new UasOptions("", 202, Map.of("Expires", "3600")))
                .thenCompose(d -> d.request("NOTIFY", Map.of("Event", "presence", "Subscription-State", "active"), "", "")
                        .thenCompose(ok -> d.destroy(Map.of("Event", "presence"))));
        Sipp.Result r = call(Interop.path("sipp/uac-subscribe.xml"), "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
    }

    @Test
    void requestSendsOutsideDialogsAndReturnsTheFinalResponse() throws Exception {
        int port = FreePorts.udp();
        Sipp.Running b = callee(Interop.path("sipp/uas-options-expect-200.xml"), port);
        SipResponse r = srf.request(RequestOptions.to("sip:bob@127.0.0.1:" + port).method("OPTIONS").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(b.await().successfulCalls()).isEqualTo(1);
    }

    @Test
    void aRequestNobodyAnswersGets480AtTheAnswerTimeout() throws Exception {
        CompletableFuture<SipRequest> seen = new CompletableFuture<>();
        app.onRequest = seen::complete; // observed, never answered
        Sipp.Result r = call(Interop.path("sipp/uac-expect-480.xml"), "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(seen).isDone();
    }

    @Test
    void aProxiedCallReachesTheCalleeAndTheResultNamesItsAnswer() throws Exception {
        int port = FreePorts.udp();
        CompletableFuture<ProxyResult> result = new CompletableFuture<>();
        app.onRequest = invite -> srf.proxy(invite, ProxyOptions.to("sip:callee@127.0.0.1:" + port).withRecordRoute())
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(ok);
                    }
                });
        Sipp.Running b = callee(Interop.path("sipp/uas.xml"), port);
        Sipp.Result r = call(Interop.path("sipp/uac-proxy.xml"), "-m", "1"); // its ACK and BYE follow the Record-Route
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        ProxyResult proxied = result.get(10, TimeUnit.SECONDS);
        assertThat(proxied.connected()).isTrue();
        assertThat(proxied.finalStatus()).isEqualTo(200);
        assertThat(b.await().successfulCalls()).isEqualTo(1);
    }

    @Test
    void answeringTwiceIsRefused() throws Exception {
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        CompletableFuture<Throwable> afterTheTransaction = new CompletableFuture<>();
        app.onRequest = invite -> {
            // the same answer whether the first one's transaction is still open or already over
            srf.respond(invite, 480).whenComplete((sent, error) -> CompletableFuture.runAsync(() -> {
                try {
                    Poll.until(Duration.ofSeconds(5), () -> core.pending(invite).isEmpty());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                srf.respond(invite, 486).whenComplete((ok, e) -> afterTheTransaction.complete(SipCore.unwrap(e)));
            }));
            srf.respond(invite, 486).whenComplete((ok, e) -> second.complete(SipCore.unwrap(e)));
        };
        Sipp.Result r = call(Interop.path("sipp/uac-expect-480.xml"), "-m", "1");
        assertThat(r.successfulCalls()).as(r.describe()).isEqualTo(1);
        assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already answered");
        assertThat(afterTheTransaction.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already answered");
        // the server acknowledges our response frame after sipp may already have seen the 480
        Poll.until(Duration.ofSeconds(5), () -> core.stats().startsWith("0 dialogs, 0 pending requests"));
        assertThat(core.stats()).startsWith("0 dialogs, 0 pending requests");
    }
}
