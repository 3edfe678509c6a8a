package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.switchboard.mrf.TestSwitch.await;
import static org.switchboard.mrf.TestSwitch.failureWithin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.media.audio.Wav;
import org.switchboard.sip.media.CollectResult;
import org.switchboard.sip.media.DtmfEvent;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.EslEvent;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaServer;
import org.switchboard.sip.media.MediaServerInfo;
import org.switchboard.sip.media.PlayCollectOptions;
import org.switchboard.sip.media.PlayResult;
import org.switchboard.sip.media.RecordOptions;
import org.switchboard.sip.media.RecordResult;
import org.switchboard.testing.poll.Poll;

/** Endpoints on the embedded media server, created as drachtio-fsmrf creates them, driven over the event socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndpointIT {

    @TempDir
    static Path folder;
    static TestSwitch ts;
    static TestUac uac;
    static MediaServer media;
    final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ts = TestSwitch.start(folder);
        uac = ts.uac;
        media = ts.media;
    }

    @AfterEach
    void destroyEndpoints() throws Exception {
        for (Endpoint e : endpoints) {
            e.destroy().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    Endpoint endpoint(MediaServer server) throws Exception {
        Endpoint e = server.createEndpoint(EndpointOptions.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
        endpoints.add(e);
        return e;
    }

    @Test
    void connectsReportsTheLoadAndRunsApiCommands() throws Exception {
        assertThat(media.isConnected()).isTrue();
        assertThat(media.load().maxSessions()).isEqualTo(50);
        assertThat(await(media.api("status"))).contains("session(s) max");
        assertThatThrownBy(() -> await(media.api("no_such_api"))).hasCauseInstanceOf(MediaException.class);
        assertThat(media.info().version()).isNotBlank();
        assertThat(media.hasCapability(MediaServerInfo.SipCapability.IPV4_UDP)).isTrue();
        assertThat(media.hasCapability(MediaServerInfo.SipCapability.IPV6_UDP)).isFalse();
        // the test server beats every 500 ms
        assertThat(Poll.until(Duration.ofSeconds(5), () -> media.info().idleCpu().isPresent())).isTrue();
        assertThat(media.info().hostname()).isNotBlank();
        assertThat(media.info().ipv4()).isNotBlank();
    }

    @Test
    void createsAnEndpointWithTheChannelsMediaAndPlaysAFile() throws Exception {
        Endpoint ep = endpoint(media);
        assertThat(ep.uuid()).isNotBlank();
        assertThat(ep.localSdp()).contains("m=audio");
        assertThat(ep.callId()).endsWith("@127.0.0.1");
        assertThat(Poll.until(Duration.ofSeconds(5), () -> media.load().currentSessions() >= 1)).isTrue();
        List<EslEvent> events = new CopyOnWriteArrayList<>();
        ep.onEvent(events::add);

        PlayResult played = await(ep.play("prompt.wav"));

        assertThat(played.milliseconds()).isBetween(900L, 1500L);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("PLAYBACK_STOP");
            assertThat(e.header("Playback-File-Path")).hasValueSatisfying(p -> assertThat(p).endsWith("prompt.wav"));
        });
        assertThat(await(ep.play(List.of("silence_stream://100", "prompt.wav"))).milliseconds()).isGreaterThan(900L);
        assertThatThrownBy(() -> await(ep.play("missing.wav"))).cause().isExactlyInstanceOf(MediaException.class)
                .hasMessageContaining("file not found");
    }

    @Test
    void anotherChannelsHangupSeenBeforeTheFilterDoesNotEndTheEndpoint() throws Exception {
        Endpoint a = endpoint(media);
        Endpoint b = endpoint(media);
        // between 'event' and 'filter Unique-ID' the switch sends a new connection every channel's events
        ((ChannelEndpoint) a).onEvent(org.switchboard.esl.event.EslEvent.builder("CHANNEL_HANGUP")
                .header("Unique-ID", b.uuid()).header("Hangup-Cause", "NORMAL_CLEARING").build());

        assertThat(await(a.play("silence_stream://100")).milliseconds()).isGreaterThanOrEqualTo(80L);
        assertThat(a.destroyed().toCompletableFuture()).isNotDone();
    }

    @Test
    void playCollectGetsTheDigitsSentAsRfc4733Events() throws Exception {
        Endpoint ep = endpoint(media);
        List<DtmfEvent> dtmf = new CopyOnWriteArrayList<>();
        ep.onDtmf(dtmf::add);
        CompletableFuture<CollectResult> collected = ep.playCollect(PlayCollectOptions.builder("silence_stream://100")
                .digits(1, 4).timeout(Duration.ofSeconds(10)).build()).toCompletableFuture();
        uac.peers.get(ep.callId()).sendDtmf("12#");

        CollectResult result = await(collected);

        assertThat(result.digits()).isEqualTo("12");
        assertThat(result.terminatorUsed()).isEqualTo("#");
        assertThat(result.result()).isEqualTo("success");
        assertThat(Poll.until(Duration.ofSeconds(5), () -> dtmf.size() == 3)).isTrue();
        assertThat(dtmf).extracting(DtmfEvent::digit).containsExactly("1", "2", "#");
    }

    @Test
    void recordsWhatTheFarEndSays() throws Exception {
        Endpoint ep = endpoint(media);
        uac.peers.get(ep.callId()).tone = true;
        Path file = folder.resolve("recorded-" + ep.uuid() + ".wav");

        RecordResult result = await(ep.record(file.toString(), RecordOptions.builder()
                .timeLimit(Duration.ofSeconds(1)).beep(true).build()));

        assertThat(result.milliseconds()).isBetween(700L, 1500L);
        assertThat(rms(Wav.read(file).samples())).as("RMS of the recording").isGreaterThan(1000);
    }

    static double rms(short[] recorded) {
        double sum = 0;
        for (short s : recorded) {
            sum += (double) s * s;
        }
        return Math.sqrt(sum / Math.max(1, recorded.length));
    }

    @Test
    void recordsTheSessionWhileOtherCommandsRun() throws Exception {
        Endpoint ep = endpoint(media);
        uac.peers.get(ep.callId()).tone = true;
        Path file = folder.resolve("session-" + ep.uuid() + ".wav");

        await(ep.recordSession(file.toString()));
        await(ep.play("prompt.wav"));
        await(ep.stopRecordSession(file.toString()));

        // a second of 16-bit samples at 8 kHz after the header, or nearly
        assertThat(Poll.until(Duration.ofSeconds(5), () -> file.toFile().length() >= 44 + 2 * 7000)).isTrue();
        assertThat(rms(Wav.read(file).samples())).as("RMS of the session recording").isGreaterThan(1000);

        List<EslEvent> events = new CopyOnWriteArrayList<>();
        ep.onEvent(events::add);
        await(ep.say("en", "number", "pronounced", "masculine", "7"));
        await(ep.say("en", "number", "pronounced", "7"));
        assertThat(events).filteredOn(e -> e.name().equals("CHANNEL_EXECUTE_COMPLETE"))
                .extracting(e -> e.header("Application-Data").orElse(""))
                .containsExactly("en NUMBER pronounced MASCULINE 7", "en NUMBER pronounced 7");
    }

    @Test
    void executesApplicationsAndRunsApiOnTheChannelsConnection() throws Exception {
        Endpoint ep = endpoint(media);

        EslEvent done = await(ep.execute("set", "greeting=hello"));
        await(ep.set(java.util.Map.of("a", "1", "b", "it's")));

        assertThat(done.name()).isEqualTo("CHANNEL_EXECUTE_COMPLETE");
        assertThat(done.header("Application")).contains("set");
        assertThat(await(ep.api("uuid_getvar " + ep.uuid() + " greeting")).strip()).isEqualTo("hello");
        assertThat(await(ep.api("uuid_getvar " + ep.uuid() + " a")).strip()).isEqualTo("1");
        assertThat(await(ep.api("uuid_getvar " + ep.uuid() + " b")).strip()).isEqualTo("it's");
    }

    @Test
    void modifyMovesAndHoldsTheMediaAndTheSdpFollows() throws Exception {
        Endpoint ep = endpoint(media);
        String firstAnswer = ep.localSdp();
        try (RtpPeer moved = new RtpPeer()) {
            String offer = moved.offer();
            int port = Integer.parseInt(offer.replaceAll("(?s).*m=audio (\\d+).*", "$1"));

            String answer = await(ep.modify(offer));

            assertThat(answer).contains("m=audio").contains("a=sendrecv");
            assertThat(ep.localSdp()).isEqualTo(answer);
            assertThat(ep.remoteSdp()).isEqualTo(offer);
            java.util.Map<String, String> variables = await(ep.channelVariables());
            assertThat(variables).containsEntry("variable_remote_media_port", Integer.toString(port))
                    .containsEntry("Unique-ID", ep.uuid()).containsEntry("variable_sip_call_id", ep.callId());
            // the first peer has been sending all along
            assertThat(Long.parseLong(await(ep.channelVariables(true)).getOrDefault(
                    "variable_rtp_audio_in_packet_count", "0"))).isGreaterThan(0);

            String held = await(ep.modify(offer.replace("a=sendrecv", "a=inactive")));

            assertThat(held).contains("a=inactive");
            assertThat(ep.remoteSdp()).contains("a=inactive");
            assertThat(firstAnswer).contains("m=audio");

            // an offer without a codec the server takes is refused, and the media stays as it was
            String g729 = offer.replace("RTP/AVP 0 101", "RTP/AVP 18").replace("a=rtpmap:0 PCMU/8000\r\n", "")
                    .replaceAll("a=(rtpmap|fmtp):101[^\r]*\r\n", "");
            assertThat(failureWithin(ep.modify(g729), 10_000)).isInstanceOf(MediaException.class)
                    .hasMessageContaining("488");
            assertThat(ep.localSdp()).isEqualTo(held);
            assertThat(ep.remoteSdp()).contains("a=inactive");
            assertThat(await(ep.play("silence_stream://100")).milliseconds()).isGreaterThanOrEqualTo(80L);
        }
    }

    @Test
    void customEventsReachTheirListenersAndTheConfiguredOnesEveryEndpoint() throws Exception {
        MediaServer configured = Mrf.connect(MrfConfig.builder(ts.server.eslAddress())
                .customEvents("test::configured").build(), uac).toCompletableFuture().get(10, TimeUnit.SECONDS);
        org.switchboard.esl.EslClient fire = org.switchboard.esl.EslClient.connect(
                MrfConfig.builder(ts.server.eslAddress()).build().inbound(), e -> { }).get(10, TimeUnit.SECONDS);
        try {
            Endpoint ep = endpoint(media);
            Endpoint other = endpoint(configured);
            List<EslEvent> pings = new CopyOnWriteArrayList<>();
            List<EslEvent> all = new CopyOnWriteArrayList<>();
            other.onEvent(all::add);

            await(ep.addCustomEventListener("test::ping", pings::add));
            fire.sendEvent(custom("test::pong", ep.uuid())).get(10, TimeUnit.SECONDS);
            fire.sendEvent(custom("test::ping", other.uuid())).get(10, TimeUnit.SECONDS);
            fire.sendEvent(custom("test::ping", ep.uuid())).get(10, TimeUnit.SECONDS);
            fire.sendEvent(custom("test::configured", other.uuid())).get(10, TimeUnit.SECONDS);

            assertThat(Poll.until(Duration.ofSeconds(5), () -> pings.size() == 1)).isTrue();
            assertThat(pings.get(0).subclass()).contains("test::ping");
            assertThat(pings.get(0).header("Unique-ID")).contains(ep.uuid());
            assertThat(Poll.until(Duration.ofSeconds(5), () -> all.stream()
                    .anyMatch(e -> e.subclass().equals(java.util.Optional.of("test::configured"))))).isTrue();
            // the other endpoint never subscribed to test::ping
            assertThat(all).noneMatch(e -> e.subclass().equals(java.util.Optional.of("test::ping")));
            other.destroy().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            fire.close();
            configured.close();
        }
    }

    private static org.switchboard.esl.event.EslEvent custom(String subclass, String uuid) {
        return org.switchboard.esl.event.EslEvent.builder("CUSTOM").header("Event-Subclass", subclass)
                .header("Unique-ID", uuid).build();
    }

    @Test
    void theCodecsPreferredReorderTheOfferAndTheServerAnswersWithTheFirst() throws Exception {
        try (RtpPeer peer = new RtpPeer()) {
            String offer = peer.offer().replace("RTP/AVP 0 101", "RTP/AVP 0 8 101")
                    .replace("a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n");
            Endpoint plain = media.createEndpoint(EndpointOptions.withSdp(offer)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            endpoints.add(plain);
            Endpoint pcma = media.createEndpoint(EndpointOptions.withSdp(offer).withCodecs("PCMA"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            endpoints.add(pcma);

            assertThat(plain.localSdp()).containsPattern("m=audio \\d+ RTP/AVP 0[ \r]");
            assertThat(pcma.localSdp()).containsPattern("m=audio \\d+ RTP/AVP 8[ \r]");
            assertThat(pcma.remoteSdp()).contains("RTP/AVP 8 0 101");
        }
    }

    @Test
    void toggleMuteFlipsTheMute() throws Exception {
        Endpoint ep = endpoint(media);
        assertThat(ep.isMuted()).isFalse();

        assertThat(await(ep.toggleMute())).isTrue();
        assertThat(ep.isMuted()).isTrue();
        assertThat(await(ep.toggleMute())).isFalse();
        await(ep.mute());
        assertThat(ep.isMuted()).isTrue();
        await(ep.unmute());
        assertThat(ep.isMuted()).isFalse();
    }

    @Test
    void bridgesAndUnbridgesTwoEndpoints() throws Exception {
        Endpoint a = endpoint(media);
        Endpoint b = endpoint(media);

        await(a.bridge(b));
        await(a.unbridge());

        // after the unbridge the channel is parked again and takes commands
        assertThat(await(a.play("silence_stream://100")).milliseconds()).isGreaterThanOrEqualTo(80L);
        await(b.destroy());
        assertThat(Poll.until(Duration.ofSeconds(5),
                () -> media.api("uuid_exists " + b.uuid()).toCompletableFuture().join().strip().equals("false"))).isTrue();
        assertThatThrownBy(() -> await(a.bridge(b))).cause().isInstanceOf(MediaException.class);
    }

    @Test
    void aHangupFromTheFarEndFailsPendingCommandsAtOnce() throws Exception {
        Endpoint ep = endpoint(media);
        CompletableFuture<PlayResult> playing = ep.play("silence_stream://20000").toCompletableFuture();
        assertThat(Poll.until(Duration.ofSeconds(5), () -> !playing.isDone() && ep.isConnected())).isTrue();

        await(uac.call(ep.callId()).hangup());

        assertThat(failureWithin(playing, 3000)).isInstanceOf(MediaException.HungUp.class)
                .hasMessageContaining("hung up (NORMAL_CLEARING)");
        assertThat(await(ep.destroyed())).isEqualTo("NORMAL_CLEARING");
        assertThat(failureWithin(ep.play("prompt.wav"), 1000)).isInstanceOf(MediaException.HungUp.class);
    }

    @Test
    void aLostConnectionFailsPendingCommandsAtOnce() throws Exception {
        Endpoint ep = endpoint(media);
        CompletableFuture<PlayResult> playing = ep.play("silence_stream://20000").toCompletableFuture();
        assertThat(Poll.until(Duration.ofSeconds(5), () -> !playing.isDone() && ep.isConnected())).isTrue();

        ((ChannelEndpoint) ep).session().close();

        assertThat(failureWithin(playing, 3000)).isInstanceOf(MediaException.ConnectionLost.class)
                .hasMessageContaining("connection was lost");
        assertThat(failureWithin(ep.destroyed(), 1000)).isInstanceOf(MediaException.ConnectionLost.class);
        assertThat(failureWithin(ep.execute("set", "x=1"), 1000)).isInstanceOf(MediaException.ConnectionLost.class);
        // the call is ended by the framework, so the switch is left with no channel of it
        assertThat(Poll.until(Duration.ofSeconds(5), () -> uac.call(ep.callId()) == null)).isTrue();
    }

    @Test
    void aCommandPastItsDeadlineFailsWithATimeout() throws Exception {
        MediaServer quick = ts.connect(Duration.ofMillis(400));
        try {
            Endpoint ep = endpoint(quick);
            long start = System.nanoTime();

            Throwable failure = failureWithin(ep.play("silence_stream://5000"), 3000);

            assertThat(failure).isInstanceOf(MediaException.Timeout.class).hasMessageContaining("400 ms");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
            assertThat(ep.isConnected()).isTrue();
        } finally {
            destroyEndpoints();
            endpoints.clear();
            quick.close();
        }
    }

    @Test
    void anAnsweredCallWhoseConnectionNeverComesFailsAndIsHungUp() throws Exception {
        // the switch is sent to a port where nobody listens: the call is answered, the connection never comes
        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalPort();
        }
        int port = nobody;
        List<TestUac.Call> calls = new CopyOnWriteArrayList<>();
        MediaSignaling misdirected = new MediaSignaling() {
            @Override
            public java.util.concurrent.CompletionStage<MediaCall> invite(String uri, java.util.Map<String, String> headers,
                    java.util.Optional<String> sdp) {
                java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
                h.put("X-esl-outbound", "127.0.0.1:" + port);
                return uac.invite(uri, h, sdp).thenApply(c -> {
                    calls.add((TestUac.Call) c);
                    return c;
                });
            }

            @Override
            public java.util.concurrent.CompletionStage<org.switchboard.sip.app.Dialog> answer(
                    org.switchboard.sip.message.SipRequest invite, String sdp) {
                return uac.answer(invite, sdp);
            }

            @Override
            public void reject(org.switchboard.sip.message.SipRequest invite, int status, String reason) {
                uac.reject(invite, status, reason);
            }
        };
        MediaServer server = Mrf.connect(MrfConfig.builder(ts.server.eslAddress())
                .connectionTimeout(Duration.ofMillis(300)).build(), misdirected).toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Throwable failure = failureWithin(server.createEndpoint(EndpointOptions.NONE), 8000);

            assertThat(failure).isInstanceOf(MediaException.Timeout.class).hasMessageContaining("did not connect")
                    .hasMessageContaining("300 ms");
            assertThat(calls).hasSize(1);
            assertThat(Poll.until(Duration.ofSeconds(5), () -> calls.get(0).ended.isDone())).isTrue();
        } finally {
            server.close();
        }
    }

    @Test
    void aChannelNobodyWaitsForIsHungUp() throws Exception {
        // the channels of the tests before may still be going away: start from none
        assertThat(Poll.until(Duration.ofSeconds(5), () -> ts.server.channelCount() == 0)).isTrue();
        int before = 0;
        TestUac.Call call = (TestUac.Call) await(uac.invite("sip:drachtio@" + ts.server.sipAddress().getHostString()
                + ":" + ts.server.sipAddress().getPort(), java.util.Map.of("User-Agent", "drachtio-fsmrf:unknown",
                "X-esl-outbound", "127.0.0.1:" + listenPort()), java.util.Optional.empty()));

        assertThat(Poll.until(Duration.ofSeconds(5), () -> call.ended.isDone())).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(5), () -> ts.server.channelCount() == before)).isTrue();
    }

    private static int listenPort() {
        return ((EslMediaServer) media).listenAddress().getPort();
    }
}
