package org.switchboard.media.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.esl.EslClient;
import org.switchboard.esl.EslClientConfig;
import org.switchboard.esl.EslListener;
import org.switchboard.esl.EslOutboundServer;
import org.switchboard.esl.EventFormat;
import org.switchboard.esl.OutboundSession;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.audio.Audio;
import org.switchboard.media.audio.Wav;
import org.switchboard.media.dtmf.Goertzel;
import org.switchboard.media.session.MediaClock;
import org.switchboard.media.session.TestEar;
import org.switchboard.media.session.PortRange;
import org.switchboard.sip.message.SipResponse;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.testing.poll.Poll;
import org.switchboard.testing.rtpengine.Rtpengine;

/**
 * The media server end to end on loopback, driven the way the MRF drives FreeSWITCH: a SIP UAC sends the INVITE
 * with {@code User-Agent: drachtio-fsmrf:<id>} and {@code X-esl-outbound}, the project's own ESL client accepts
 * the outbound connection and executes applications, and an RTP session plays the caller (hears what the server
 * sends, sends RFC 4733 digits and tones).
 */
class EmbeddedMediaServerIT {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static MediaServer server;
    static EslOutboundServer controller;
    static final BlockingQueue<OutboundSession> sessions = new LinkedBlockingQueue<>();
    static final Map<String, BlockingQueue<EslEvent>> eventsByUuid = new java.util.concurrent.ConcurrentHashMap<>();
    static EventLoopGroup group;
    static MediaClock clock;
    static final PortRange CALLER_PORTS = new PortRange(42000, 42100);
    /** The longest a frame takes from the server's send to a caller's ear (the ear's jitter buffer included). */
    static final long PLAYOUT_MILLIS = 200;
    @TempDir
    static Path folder;
    final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(folder.resolve("sounds"));
        short[] samples = new short[16000]; // a 2 s prompt of 700 Hz
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 700 * i / 8000.0));
        }
        Audio tone = Audio.of(8000, 1, samples);
        Wav.write(folder.resolve("sounds/prompt.wav"), tone);
        // a wideband prompt: 2 s of 6 kHz at 16 kHz, a tone no 8 kHz channel can carry
        short[] wide = new short[32000];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = (short) (8000 * Math.sin(2 * Math.PI * 6000 * i / 16000.0));
        }
        Wav.write(folder.resolve("sounds/wide.wav"), Audio.of(16000, 1, wide));
        // a sound set for say: every digits/ file a 100 ms tone
        Files.createDirectories(folder.resolve("sounds/digits"));
        for (String name : List.of("1", "2", "4", "30", "hundred", "thousand")) {
            Wav.write(folder.resolve("sounds/digits/" + name + ".wav"), Audio.of(8000, 1,
                    java.util.Arrays.copyOf(samples, 800)));
        }
        server = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0))
                .esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(41000, 41200)
                .sounds(folder.resolve("sounds"))
                .recordings(folder.resolve("recordings"))
                .heartbeat(Duration.ofMillis(500))
                .sipTimers(TimerConfig.scaled(Duration.ofMillis(100)))
                .firstCommandTimeout(Duration.ofSeconds(2))
                .build());
        controller = EslOutboundServer.start(new InetSocketAddress(LOOPBACK, 0), EslClientConfig.builder().build(),
                session -> event -> event.uniqueId().or(() -> event.header("Conference-Unique-ID"))
                        .ifPresent(u -> eventsByUuid.computeIfAbsent(u, k -> new LinkedBlockingQueue<>()).add(event)),
                sessions::add);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clock = MediaClock.start();
    }

    @AfterAll
    static void stop() {
        controller.close();
        server.close();
        clock.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** What the caller hears, and its digits out. */
    static TestEar newCaller() {
        return new TestEar(group, clock, LOOPBACK, CALLER_PORTS, 20);
    }

    record Call(SipPhone phone, SipResponse ok, OutboundSession session, TestEar caller) {
        String uuid() {
            return session.uuid();
        }
    }

    private Call call(boolean withSdp) throws Exception {
        return call(withSdp ? port -> SipPhone.sdp(port, "8 101") : port -> null);
    }

    /** A call whose INVITE carries {@code offer} of the caller's RTP port (no SDP when it gives null). */
    private Call call(java.util.function.IntFunction<String> offer) throws Exception {
        TestEar caller = newCaller();
        cleanup.add(caller);
        SipPhone phone = new SipPhone(server.sipAddress());
        cleanup.add(phone);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "drachtio-fsmrf:" + java.util.UUID.randomUUID());
        headers.put("X-esl-outbound", "127.0.0.1:" + controller.address().getPort());
        SipResponse ok = phone.invite(headers, offer.apply(caller.rtp.localPort()));
        assertThat(ok.status()).isEqualTo(200);
        phone.ack(phone.lastInviteSeq(), null);
        OutboundSession session = sessions.poll(5, TimeUnit.SECONDS);
        assertThat(session).as("the outbound event socket connection").isNotNull();
        cleanup.add(0, session);
        session.subscribe(EventFormat.JSON, "CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_CALLSTATE", "DTMF",
                "PLAYBACK_START", "PLAYBACK_STOP", "RECORD_START", "RECORD_STOP").get(5, TimeUnit.SECONDS);
        session.filter("Unique-ID", session.uuid()).get(5, TimeUnit.SECONDS);
        String remoteSdp = ok.bodyAsString();
        Matcher port = Pattern.compile("m=audio (\\d+)").matcher(remoteSdp);
        assertThat(port.find()).isTrue();
        caller.rtp.remote(new InetSocketAddress(LOOPBACK, Integer.parseInt(port.group(1))));
        return new Call(phone, ok, session, caller);
    }

    /** An inbound event socket client of the server (closed after the test, before the server). */
    private EslClient inboundClient(EslListener listener) throws Exception {
        EslClient client = EslClient.connect(EslClientConfig.builder().host("127.0.0.1")
                .port(server.eslAddress().getPort()).password("ClueCon").reconnect(false).build(), listener)
                .get(5, TimeUnit.SECONDS);
        cleanup.add(0, client);
        return client;
    }

    private EslEvent awaitEvent(String uuid, String name, long millis) throws InterruptedException {
        BlockingQueue<EslEvent> q = eventsByUuid.computeIfAbsent(uuid, k -> new LinkedBlockingQueue<>());
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            EslEvent e = q.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && e.eventName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " for " + uuid + " within " + millis + " ms");
    }

    @Test
    void answersTheMrfAndConnectsTheOutboundSocketWithChannelData() throws Exception {
        Call call = call(true);
        assertThat(call.ok().bodyAsString()).contains("m=audio").contains("RTP/AVP 8 101");
        EslEvent data = call.session().channelData();
        assertThat(data.header("Channel-Unique-ID")).contains(call.uuid());
        assertThat(data.header("Socket-Mode")).contains("async");
        assertThat(data.header("Control")).contains("full");
        assertThat(data.variable("sip_user_agent").orElseThrow()).startsWith("drachtio-fsmrf:");
        assertThat(data.variable("sip_h_X-esl-outbound")).contains("127.0.0.1:" + controller.address().getPort());
        assertThat(data.variable("rtp_local_sdp_str")).contains(call.ok().bodyAsString());
        assertThat(data.variable("local_media_port").orElseThrow()).matches("\\d+");
        assertThat(data.variable("remote_media_port")).contains(Integer.toString(call.caller().rtp.localPort()));
        assertThat(data.variable("dtmf_type")).contains("rfc2833");
        assertThat(data.header("Channel-Read-Codec-Name")).contains("PCMA");
    }

    @Test
    void playsAToneAndAFileThatTheCallerHears() throws Exception {
        Call call = call(true);
        EslEvent done = call.session().execute("playback", "tone_stream://%(1000,0,1000)").get(5, TimeUnit.SECONDS);
        assertThat(done.header("Application-Response")).contains("FILE PLAYED");
        assertThat(Long.parseLong(done.variable("playback_ms").orElseThrow())).isBetween(980L, 1020L);
        waitUntil("the tone through the caller's jitter buffer", () -> call.caller().peakAmplitudeAt(1000) > 1000, 5000);
        assertThat(call.caller().amplitudeAt(700)).isLessThan(100);
        call.caller().clear();
        EslEvent file = call.session().execute("playback", "prompt.wav").get(5, TimeUnit.SECONDS);
        assertThat(file.header("Application-Response")).contains("FILE PLAYED");
        assertThat(file.variable("playback_seconds")).contains("2");
        waitUntil("the prompt heard by the caller", () -> call.caller().peakAmplitudeAt(700) > 1000, 5000);
        EslEvent missing = call.session().execute("playback", "nosuch.wav").get(5, TimeUnit.SECONDS);
        assertThat(missing.header("Application-Response")).contains("FILE NOT FOUND");
        assertThat(awaitEvent(call.uuid(), "PLAYBACK_START", 1000).header("Playback-File-Path"))
                .contains("tone_stream://%(1000,0,1000)");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"opus,109,opus/48000/2", "G722,9,G722/8000", "PCMU,0,PCMU/8000"})
    void eachCodecIsNegotiatedAloneAndCarriesTheToneBothWays(String codec, int payloadType, String rtpmap)
            throws Exception {
        Call call = call(port -> "v=0\r\no=mrf 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP " + payloadType + " 101\r\na=rtpmap:" + payloadType + " " + rtpmap
                + "\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n");
        assertThat(call.ok().bodyAsString()).contains("m=audio").contains("RTP/AVP " + payloadType + " 101\r\n")
                .contains("a=rtpmap:" + payloadType + " " + rtpmap);
        call.caller().rtp.codec(org.switchboard.media.codec.Codecs.byName(codec).orElseThrow(), payloadType, 101);
        // the server plays a tone: the caller decodes it
        call.session().execute("playback", "tone_stream://%(1500,0,1000)").get(5, TimeUnit.SECONDS);
        waitUntil(codec + ": the tone heard", () -> call.caller().amplitudeAt(1000, 400) > 1000, 5000);
        // the caller sends a tone: the server decodes it into a recording
        Path wav = folder.resolve("recordings/" + codec + ".wav");
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(1500,0,440)", folder, 8000), null);
        call.session().execute("record", wav + " 1").get(5, TimeUnit.SECONDS);
        Audio recorded = Wav.read(wav);
        assertThat(recorded.sampleRate()).as("recorded at the channel's rate")
                .isEqualTo(org.switchboard.media.codec.Codecs.byName(codec).orElseThrow().sampleRate());
        short[] s = recorded.samples();
        assertThat(Goertzel.amplitude(s, 0, s.length, 440, recorded.sampleRate()))
                .as(codec + ": the caller's tone recorded").isGreaterThan(500);
    }

    /** A call that offers only {@code codec} (with telephone-event), its caller's ear decoding it. */
    private Call callWith(String codec) throws Exception {
        String[] map = switch (codec) {
            case "opus" -> new String[] {"111", "opus/48000/2"};
            case "G722" -> new String[] {"9", "G722/8000"};
            default -> new String[] {"0", "PCMU/8000"};
        };
        Call call = call(port -> SipPhone.sdp(port, map[0] + " 101").replaceFirst("a=rtpmap:[^\r]*\r\n",
                "a=rtpmap:" + map[0] + " " + map[1] + "\r\n"));
        call.caller().rtp.codec(org.switchboard.media.codec.Codecs.byName(codec).orElseThrow(),
                Integer.parseInt(map[0]), 101);
        return call;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"opus,48000,6", "G722,16000,15", "PCMU,8000,0"})
    void aWidebandPromptKeepsItsBandOnWidebandChannelsOnly(String codec, int rate, double minSnr) throws Exception {
        Call call = callWith(codec);
        EslEvent data = call.session().channelData();
        assertThat(data.header("Channel-Read-Codec-Rate")).contains(Integer.toString(rate));
        assertThat(data.variable("read_rate")).contains(Integer.toString(rate));
        assertThat(call.session().api("uuid_dump " + call.uuid()).get(5, TimeUnit.SECONDS))
                .contains("variable_read_rate: " + rate);
        call.caller().clear();
        EslEvent done = call.session().execute("playback", "wide.wav").get(10, TimeUnit.SECONDS);
        assertThat(done.header("Application-Response")).contains("FILE PLAYED");
        assertThat(done.variable("playback_ms")).contains("2000");
        assertThat(done.variable("playback_samples")).as("counted at the channel's rate")
                .contains(Long.toString(2L * rate));
        call.caller().listenMore(PLAYOUT_MILLIS);
        if (rate == 8000) {
            // band-limited to 4 kHz: nothing of it (nor its alias at 2 kHz, had it been dropped to 8 kHz unfiltered)
            assertThat(call.caller().peakAmplitudeAt(2000)).as("PCMU: no alias of 6 kHz").isLessThan(100);
        } else {
            assertThat(call.caller().peakAmplitudeAt(6000)).as(codec + ": 6 kHz heard").isGreaterThan(2000);
            assertThat(call.caller().snrAt(6000)).as(codec + ": the SNR of 6 kHz in dB").isGreaterThan(minSnr);
        }
    }

    @Test
    void aG722LegBridgedToAnOpusLegCarriesWidebandBothWays() throws Exception {
        Call g722 = callWith("G722");
        Call opus = callWith("opus");
        assertThat(g722.session().api("uuid_bridge " + g722.uuid() + " " + opus.uuid()).get(5, TimeUnit.SECONDS))
                .startsWith("+OK");
        g722.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(6000,0,6000)", folder,
                16000), null);
        opus.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(6000,0,5000)", folder,
                48000), null);
        long recent = TestEar.RECENT_MILLIS;
        waitUntil("6 kHz from the G.722 caller to the Opus one, 5 kHz back",
                () -> opus.caller().amplitudeAt(6000, recent) > 1000 && g722.caller().amplitudeAt(5000, recent) > 1000,
                5000);
        opus.caller().listenAfresh(1000);
        g722.caller().listenAfresh(1000);
        assertThat(opus.caller().snrAt(6000)).as("G.722 to Opus, SNR in dB").isGreaterThan(6);
        assertThat(g722.caller().snrAt(5000)).as("Opus to G.722, SNR in dB").isGreaterThan(6);
    }

    @Test
    void anApiThatHangsUpItsOwnChannelIsAnsweredBeforeTheSocketCloses() throws Exception {
        // FreeSWITCH's listener thread answers the api, then notices the hangup and disconnects; a disconnect
        // written first fails the controller's pending api (seen once as 'conference ... hup all' failing)
        for (int i = 0; i < 5; i++) {
            Call call = callWith("PCMU");
            assertThat(call.session().api("uuid_kill " + call.uuid()).get(5, TimeUnit.SECONDS)).startsWith("+OK");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"wideband,true", "default,false"})
    void aWidebandConferenceCarriesWidebandBetweenWidebandMembers(String profile, boolean carries) throws Exception {
        Call a = callWith("G722");
        Call b = callWith("G722");
        String name = "wb-" + profile;
        a.session().subscribe(EventFormat.JSON, "CUSTOM", "conference::maintenance").get(5, TimeUnit.SECONDS);
        b.session().subscribe(EventFormat.JSON, "CUSTOM", "conference::maintenance").get(5, TimeUnit.SECONDS);
        a.session().execute("conference", name + "@" + profile);
        awaitCustom(a.uuid(), "add-member", 2000);
        b.session().execute("conference", name + "@" + profile);
        awaitCustom(b.uuid(), "add-member", 2000);
        assertThat(new ObjectMapper().readTree(a.session().api("conference " + name + " json_list")
                .get(5, TimeUnit.SECONDS)).findValue("rate").asInt()).isEqualTo(carries ? 16000 : 8000);
        a.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(8000,0,6000,1000)", folder,
                16000), null);
        waitUntil("A's 1 kHz heard by B", () -> b.caller().amplitudeAt(1000, TestEar.RECENT_MILLIS) > 500, 5000);
        b.caller().listenAfresh(1000);
        if (carries) {
            assertThat(b.caller().amplitudeAt(6000)).as("6 kHz through the 16 kHz mix").isGreaterThan(500);
        } else {
            assertThat(b.caller().amplitudeAt(6000)).as("6 kHz through an 8 kHz mix").isLessThan(50);
        }
        // the members leave, so that their channels end with their sockets
        a.session().api("conference " + name + " hup all").get(5, TimeUnit.SECONDS);
        awaitCustom(b.uuid(), "del-member", 2000);
    }

    @Test
    void aRecordingIsWrittenAtTheRateAskedFor() throws Exception {
        Call call = callWith("G722");
        call.session().execute("set", "record_sample_rate=8000").get(5, TimeUnit.SECONDS);
        Path wav = folder.resolve("recordings/asked-rate.wav");
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(1500,0,440)", folder,
                16000), null);
        call.session().execute("record", wav + " 1").get(5, TimeUnit.SECONDS);
        Audio recorded = Wav.read(wav);
        assertThat(recorded.sampleRate()).as("record_sample_rate, not the G.722 channel's 16 kHz").isEqualTo(8000);
        assertThat(recorded.frames()).as("the 1 s limit counted at the file's rate").isBetween(4000, 8000 + 160);
        short[] s = recorded.samples();
        assertThat(Goertzel.amplitude(s, 0, s.length, 440, 8000)).as("the caller's tone").isGreaterThan(500);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(org.switchboard.media.rtp.SrtpSuite.class)
    void anSrtpOfferIsAnsweredWithKeysAndTheAudioIsEncryptedBothWays(org.switchboard.media.rtp.SrtpSuite suite)
            throws Exception {
        byte[] keySalt = new byte[30];
        new java.security.SecureRandom().nextBytes(keySalt);
        String callerKey = java.util.Base64.getEncoder().encodeToString(keySalt);
        Call call = call(port -> SipPhone.sdp(port, "0 101").replace("RTP/AVP", "RTP/SAVP")
                + "a=crypto:7 " + suite + " inline:" + callerKey + "\r\n");
        org.switchboard.media.sdp.Sdp.Media answer = org.switchboard.media.sdp.Sdp.parse(call.ok().bodyAsString())
                .audio().orElseThrow();
        assertThat(answer.protocol()).isEqualTo("RTP/SAVP");
        assertThat(answer.crypto()).hasSize(1);
        String[] crypto = answer.crypto().get(0).split(" ");
        assertThat(crypto[0]).isEqualTo("7");
        assertThat(crypto[1]).isEqualTo(suite.name());
        var keys = new org.switchboard.media.sdp.Negotiation.Sdes(suite, crypto[2].substring("inline:".length()),
                callerKey);
        call.caller().rtp.secure(keys.sender(), keys.receiver());
        call.session().execute("playback", "tone_stream://%(1500,0,1000)").get(5, TimeUnit.SECONDS);
        waitUntil(suite + ": the tone decrypted and heard", () -> call.caller().amplitudeAt(1000, 400) > 1000, 5000);
        assertThat(call.caller().rtp.stats().unauthenticated()).isZero();
        Path wav = folder.resolve("recordings/" + suite + ".wav");
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(1500,0,440)", folder, 8000), null);
        call.session().execute("record", wav + " 1").get(5, TimeUnit.SECONDS);
        short[] s = Wav.read(wav).samples();
        assertThat(Goertzel.amplitude(s, 0, s.length, 440, 8000)).as(suite + ": the caller's tone decrypted")
                .isGreaterThan(500);
        // a caller that does not encrypt is not heard: its packets fail authentication
        call.caller().rtp.secure(null, keys.receiver());
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(3000,0,1300)", folder, 8000), null);
        call.session().execute("record", wav + " 1").get(5, TimeUnit.SECONDS);
        short[] plain = Wav.read(wav).samples();
        assertThat(Goertzel.amplitude(plain, 0, plain.length, 1300, 8000)).as("plain RTP into an SRTP call")
                .isLessThan(50);
    }

    @Test
    void rtpengineEncryptingWithTheShortTagSuiteHearsTheServerAndIsHeard() throws Exception {
        // a real SRTP peer that offers AES_CM_128_HMAC_SHA1_32 (baresip offers only _80): the caller's plain RTP goes
        // through rtpengine, which keys and encrypts toward the server and decrypts what the server sends
        try (Rtpengine rtpengine = Rtpengine.start(folder.resolve("rtpengine"))) {
            String callId = "srtp32-" + java.util.UUID.randomUUID();
            Call call = call(port -> rtpengine.offerSrtp(callId, "caller", SipPhone.sdp(port, "0 101"),
                    "AES_CM_128_HMAC_SHA1_32"));
            String answer = call.ok().bodyAsString();
            org.switchboard.media.sdp.Sdp.Media audio = org.switchboard.media.sdp.Sdp.parse(answer).audio().orElseThrow();
            assertThat(audio.protocol()).isEqualTo("RTP/SAVP");
            assertThat(audio.crypto()).singleElement().satisfies(c -> assertThat(c).contains(" AES_CM_128_HMAC_SHA1_32 "));
            Matcher toRtpengine = Pattern.compile("m=audio (\\d+) RTP/AVP ").matcher(rtpengine.answer(callId, "caller", "callee", answer));
            assertThat(toRtpengine.find()).as("a plain answer for the caller").isTrue();
            call.caller().sendTo(Integer.parseInt(toRtpengine.group(1)));

            call.session().execute("playback", "tone_stream://%(1500,0,1000)").get(5, TimeUnit.SECONDS);
            waitUntil("the server's SRTP decrypted by rtpengine", () -> call.caller().amplitudeAt(1000, 400) > 1000, 5000);
            Path wav = folder.resolve("recordings/rtpengine-32.wav");
            call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(3000,0,440)", folder, 8000), null);
            call.session().execute("record", wav + " 1").get(5, TimeUnit.SECONDS);
            short[] s = Wav.read(wav).samples();
            assertThat(Goertzel.amplitude(s, 0, s.length, 440, 8000)).as("the caller's tone, encrypted by rtpengine")
                    .isGreaterThan(500);
            rtpengine.delete(callId);
        }
    }

    @Test
    void anSrtpOfferWithoutUsableKeysGets488() throws Exception {
        TestEar caller = newCaller();
        cleanup.add(caller);
        SipPhone phone = new SipPhone(server.sipAddress());
        cleanup.add(phone);
        SipResponse refused = phone.invite(Map.of("User-Agent", "drachtio-fsmrf:x"),
                SipPhone.sdp(caller.rtp.localPort(), "0 101").replace("RTP/AVP", "RTP/SAVP")
                        + "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:"
                        + "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVzWVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n");
        assertThat(refused.status()).isEqualTo(488);
    }

    @Test
    void aProfileThatForbidsOrRequiresSrtpRefusesTheOtherOfferWith488AndAWarning() throws Exception {
        String keys = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                + java.util.Base64.getEncoder().encodeToString(new byte[30]) + "\r\n";
        TestEar caller = newCaller();
        cleanup.add(caller);
        String plain = SipPhone.sdp(caller.rtp.localPort(), "0 101");
        String secure = plain.replace("RTP/AVP", "RTP/SAVP") + keys;
        for (String permission : List.of("forbidden", "mandatory")) {
            try (MediaServer strict = MediaServer.start(MediaServerConfig.builder()
                    .sip(new InetSocketAddress(LOOPBACK, 0)).esl(new InetSocketAddress(LOOPBACK, 0))
                    .sounds(folder.resolve("sounds")).secureMedia(permission)
                    .sipTimers(TimerConfig.scaled(Duration.ofMillis(100))).build());
                 SipPhone phone = new SipPhone(strict.sipAddress())) {
                Map<String, String> headers = Map.of("User-Agent", "drachtio-fsmrf:" + permission,
                        "X-esl-outbound", "127.0.0.1:" + controller.address().getPort());
                SipResponse refused = phone.invite(headers, permission.equals("forbidden") ? secure : plain);
                assertThat(refused.status()).as(permission).isEqualTo(488);
                assertThat(refused.header("Warning")).as(permission + ": why").hasValueSatisfying(w -> assertThat(w)
                        .startsWith("399 ").contains("SRTP is " + permission));
                SipResponse taken = phone.invite(headers, permission.equals("forbidden") ? plain : secure);
                assertThat(taken.status()).as(permission + ": the other offer").isEqualTo(200);
                assertThat(org.switchboard.media.sdp.Sdp.parse(taken.bodyAsString()).audio().orElseThrow().protocol())
                        .isEqualTo(permission.equals("forbidden") ? "RTP/AVP" : "RTP/SAVP");
                phone.ack(phone.lastInviteSeq(), null);
                cleanup.add(0, sessions.poll(5, TimeUnit.SECONDS));
                assertThat(phone.bye().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void playbackFiguresAreFreeSwitchs() throws Exception {
        Call call = call(true);
        // from one second in to the end of the 2 s prompt: the offset position counts from the seek
        EslEvent resumed = call.session().execute("playback", "prompt.wav@@8000").get(5, TimeUnit.SECONDS);
        assertThat(resumed.header("Application-Response")).contains("FILE PLAYED");
        assertThat(resumed.variable("playback_last_offset_pos")).contains("16000");
        assertThat(resumed.variable("playback_samples")).contains("8000");
        assertThat(resumed.variable("playback_ms")).contains("1000");
        // a timeout (taken only above 1 s) is an error unless playback_timeout_as_success; what was read ahead counts
        call.session().execute("set", "playback_timeout_sec=2").get(5, TimeUnit.SECONDS);
        EslEvent timedOut = call.session().execute("playback", "silence_stream://5000").get(5, TimeUnit.SECONDS);
        assertThat(timedOut.header("Application-Response")).contains("PLAYBACK ERROR");
        assertThat(timedOut.variable("playback_samples")).contains("16384");
        assertThat(timedOut.variable("playback_ms")).contains("2048");
        assertThat(Long.parseLong(timedOut.variable("playback_last_offset_pos").orElseThrow())).isBetween(15000L, 17000L);
        assertThat(awaitStop(call.uuid(), "silence_stream://5000").header("Playback-Status")).contains("done");
        call.session().execute("set", "playback_timeout_as_success=true").get(5, TimeUnit.SECONDS);
        assertThat(call.session().execute("playback", "silence_stream://5000").get(5, TimeUnit.SECONDS)
                .header("Application-Response")).contains("FILE PLAYED");
    }

    private EslEvent awaitStop(String uuid, String path) throws InterruptedException {
        while (true) {
            EslEvent stop = awaitEvent(uuid, "PLAYBACK_STOP", 3000);
            if (stop.header("Playback-File-Path").filter(path::equals).isPresent()) {
                return stop;
            }
        }
    }

    @Test
    void setMuteWriteSilencesWhatTheCallerHears() throws Exception {
        Call call = call(true);
        call.session().execute("set_mute", "write true").get(5, TimeUnit.SECONDS);
        call.caller().clear();
        call.session().execute("playback", "tone_stream://%(600,0,1000)").get(5, TimeUnit.SECONDS);
        // the playback ended on the server: what it sent meanwhile reaches the caller within a playout delay
        call.caller().listenMore(PLAYOUT_MILLIS);
        assertThat(call.caller().amplitudeAt(1000)).isLessThan(50);
        call.session().execute("set_mute", "write false").get(5, TimeUnit.SECONDS);
        call.session().execute("playback", "tone_stream://%(600,0,1000)").get(5, TimeUnit.SECONDS);
        waitUntil("the unmuted tone heard", () -> call.caller().peakAmplitudeAt(1000) > 1000, 5000);
    }

    @Test
    void saysANumberFromTheSoundSet() throws Exception {
        Call call = call(true);
        EslEvent done = call.session().execute("say", "en NUMBER pronounced 1234").get(5, TimeUnit.SECONDS);
        assertThat(done.header("Application-Response")).contains("FILE PLAYED");
        // as FreeSWITCH's say, which plays each file on its own: the figures of the last file (a 100 ms digit)
        assertThat(done.variable("playback_ms")).contains("100");
        List<String> files = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String path = awaitEvent(call.uuid(), "PLAYBACK_START", 1000).header("Playback-File-Path").orElseThrow();
            files.add(path.substring(path.lastIndexOf('/') + 1));
        }
        assertThat(files).containsExactly("1.wav", "thousand.wav", "2.wav", "hundred.wav", "30.wav", "4.wav");
        assertThat(call.session().execute("say", "en NUMBER pronounced 5").get(5, TimeUnit.SECONDS)
                .header("Application-Response")).contains("FILE NOT FOUND");
    }

    @Test
    void collectsRfc2833DigitsWithPlayAndGetDigits() throws Exception {
        Call call = call(true);
        CompletableFuture<EslEvent> collecting = call.session().execute("play_and_get_digits",
                "1 4 1 5000 # silence_stream://200 silence_stream://250 myDigitBuffer \\d+ 2000");
        awaitEvent(call.uuid(), "CHANNEL_EXECUTE", 2000);
        call.caller().rtp.sendDtmf("12#", 100);
        EslEvent done = collecting.get(10, TimeUnit.SECONDS);
        assertThat(done.variable("myDigitBuffer")).contains("12");
        assertThat(done.variable("read_terminator_used")).contains("#");
        assertThat(done.variable("read_result")).contains("success");
        assertThat(awaitEvent(call.uuid(), "DTMF", 1000).header("DTMF-Source")).contains("RTP");
    }

    @Test
    void recordsWhatTheCallerSaysUntilTheTerminatorWhilePlaybackIsNested() throws Exception {
        Call call = call(true);
        call.session().execute("set", "playback_terminators=#").get(5, TimeUnit.SECONDS);
        // as fsmrf's record test: a playback not awaited, then record starts at once inside it
        CompletableFuture<EslEvent> playing = call.session().execute("playback", "silence_stream://10000");
        Path file = folder.resolve("recordings/rec-" + call.uuid() + ".wav");
        long started = System.nanoTime();
        CompletableFuture<EslEvent> recording = call.session().execute("record", file + " 20");
        awaitEvent(call.uuid(), "RECORD_START", 2000);
        CompletableFuture<Void> said = new CompletableFuture<>();
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(1500,0,440)", folder, 8000),
                () -> said.complete(null));
        said.get(5, TimeUnit.SECONDS);
        call.caller().rtp.sendDtmf("#", 100);
        EslEvent done = recording.get(5, TimeUnit.SECONDS);
        long recordingAtMost = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + 100;
        assertThat(playing).isNotDone();
        assertThat(done.variable("playback_terminator_used")).contains("#");
        long ms = Long.parseLong(done.variable("record_ms").orElseThrow());
        // the 1.5 s tone, and no more than the record ran as the test saw it (from the record command to its end)
        assertThat(ms).isBetween(1500L, Math.max(3000L, recordingAtMost));
        Audio recorded = Wav.read(file);
        short[] s = recorded.samples();
        assertThat(Goertzel.amplitude(s, 0, s.length, 440, 8000)).isGreaterThan(500);
        assertThat(Goertzel.amplitude(s, 0, s.length, 1000, 8000)).isLessThan(100);
        call.session().command("api uuid_break " + call.uuid()).get(5, TimeUnit.SECONDS);
        assertThat(playing.get(5, TimeUnit.SECONDS).header("Application")).contains("playback");
    }

    @Test
    void manyCallsAtOnceAllPlayAndAllGoAway() throws Exception {
        int calls = 30;
        // deadlines sized for thirty calls on a loaded two-core machine; they only bound a failure
        List<CompletableFuture<EslEvent>> plays = new java.util.ArrayList<>();
        List<Call> made = new java.util.ArrayList<>();
        for (int i = 0; i < calls; i++) {
            Call c = call(true);
            made.add(c);
            plays.add(c.session().execute("playback", "tone_stream://%(500,0,600)"));
        }
        for (CompletableFuture<EslEvent> p : plays) {
            assertThat(p.get(30, TimeUnit.SECONDS).header("Application-Response")).contains("FILE PLAYED");
        }
        // the tones' packets were counted on the clock, which reports them to any api client
        assertThat(inboundClient(e -> { }).api(EmbeddedMediaServer.CLOCK_API).get(5, TimeUnit.SECONDS))
                .matches("tasks \\d+\nsend_interval_error_100us( \\d+:[1-9]\\d*)+\n");
        for (Call c : made) {
            c.session().execute("hangup", "").handle((e, t) -> null);
        }
        for (Call c : made) {
            assertThat(c.phone().awaitBye(15_000)).isTrue();
        }
        waitUntil(() -> server.channelCount() == 0, 20_000);
        for (Call c : made) {
            waitUntil("every caller heard its tone", () -> c.caller().peakAmplitudeAt(600) > 1000, 10_000);
        }
    }

    @Test
    void uuidRecordAndUuidBroadcastFromTheInboundSocket() throws Exception {
        Call call = call(true);
        EslClient client = inboundClient(e -> { });
        Path file = folder.resolve("recordings/uuid-record-" + call.uuid() + ".wav");
        assertThat(client.api("uuid_record " + call.uuid() + " start " + file).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK Success\n");
        assertThat(client.api("uuid_broadcast " + call.uuid() + " tone_stream://%(800,0,1200) aleg")
                .get(5, TimeUnit.SECONDS)).isEqualTo("+OK Message sent\n");
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(800,0,440)", folder, 8000), null);
        assertThat(awaitEvent(call.uuid(), "PLAYBACK_STOP", 3000).header("Playback-Status")).contains("done");
        client.api("uuid_record " + call.uuid() + " stop " + file).get(5, TimeUnit.SECONDS);
        assertThat(awaitEvent(call.uuid(), "RECORD_STOP", 2000).header("Record-File-Path")).contains(file.toString());
        short[] s = Wav.read(file).samples();
        assertThat(Goertzel.amplitude(s, 0, s.length, 440, 8000)).as("the caller in both-leg recording").isGreaterThan(500);
        assertThat(Goertzel.amplitude(s, 0, s.length, 1200, 8000)).as("the broadcast in it").isGreaterThan(500);
    }

    @Test
    void backgroundRecordingsWithALimitStopThemselvesThere() throws Exception {
        Call call = call(true);
        EslClient client = inboundClient(e -> { });
        Path viaApi = folder.resolve("recordings/limit-api-" + call.uuid() + ".wav");
        Path viaApp = folder.resolve("recordings/limit-app-" + call.uuid() + ".wav");
        assertThat(client.api("uuid_record " + call.uuid() + " start " + viaApi + " 1").get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK Success\n");
        call.session().execute("record_session", viaApp + " +1").get(5, TimeUnit.SECONDS);
        EslEvent first = awaitEvent(call.uuid(), "RECORD_STOP", 3000);
        EslEvent second = awaitEvent(call.uuid(), "RECORD_STOP", 3000);
        assertThat(List.of(first.header("Record-File-Path").orElseThrow(), second.header("Record-File-Path").orElseThrow()))
                .containsExactlyInAnyOrder(viaApi.toString(), viaApp.toString());
        assertThat(Long.parseLong(second.variable("record_ms").orElseThrow())).isEqualTo(1000);
        assertThat(Wav.read(viaApi).frames()).as("one second at 8 kHz").isEqualTo(8000);
        assertThat(Wav.read(viaApp).frames()).isEqualTo(8000);
        assertThat(call.phone().bye().status()).as("the call went on").isEqualTo(200);
    }

    @Test
    void callsBeyondMaxSessionsGet503AndStatusReportsTheFigures() throws Exception {
        try (MediaServer small = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0)).esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(41300, 41399).maxSessions(1).sounds(folder.resolve("sounds"))
                .sipTimers(TimerConfig.scaled(Duration.ofMillis(100))).build());
             SipPhone first = new SipPhone(small.sipAddress()); SipPhone second = new SipPhone(small.sipAddress())) {
            Map<String, String> headers = Map.of("User-Agent", "drachtio-fsmrf:max-sessions",
                    "X-esl-outbound", "127.0.0.1:" + controller.address().getPort());
            TestEar caller = newCaller();
            cleanup.add(caller);
            assertThat(first.invite(headers, SipPhone.sdp(caller.rtp.localPort(), "0 101")).status()).isEqualTo(200);
            first.ack(first.lastInviteSeq(), null);
            cleanup.add(0, sessions.poll(5, TimeUnit.SECONDS));
            assertThat(second.invite(headers, SipPhone.sdp(caller.rtp.localPort(), "0 101")).status())
                    .as("a second call with max-sessions 1").isEqualTo(503);
            try (EslClient client = EslClient.connect(EslClientConfig.builder().host("127.0.0.1")
                    .port(small.eslAddress().getPort()).password("ClueCon").reconnect(false).build(), e -> { })
                    .get(5, TimeUnit.SECONDS)) {
                // the rate is that of the current second, which may have begun since the call was set up
                assertThat(client.api("status").get(5, TimeUnit.SECONDS))
                        .contains("1 session(s) since startup\n1 session(s) - peak 1, last 5min 1 \n")
                        .containsPattern("\n[01] session\\(s\\) per Sec out of max 0, peak 1, last 5min 1 \n")
                        .contains("\n1 session(s) max\n");
            }
            assertThat(first.bye().status()).isEqualTo(200);
            waitUntil(() -> small.channelCount() == 0, 5000);
            assertThat(second.invite(headers, SipPhone.sdp(caller.rtp.localPort(), "0 101")).status())
                    .as("once the first call ended").isEqualTo(200);
            second.ack(second.lastInviteSeq(), null);
            cleanup.add(0, sessions.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void logStreamsTheSwitchsLinesUpToTheLevelAskedForUntilNolog() throws Exception {
        List<org.switchboard.esl.EslLogLine> lines = new CopyOnWriteArrayList<>();
        EslClient client = inboundClient(new EslListener() {
            @Override
            public void onEvent(EslEvent event) {
            }

            @Override
            public void onLog(org.switchboard.esl.EslLogLine line) {
                lines.add(line);
            }
        });
        assertThat(client.log("bogus").get(5, TimeUnit.SECONDS).text()).isEqualTo("-ERR invalid log level");
        assertThat(client.nolog().get(5, TimeUnit.SECONDS).text()).isEqualTo("-ERR not loging");
        assertThat(client.log("notice").get(5, TimeUnit.SECONDS).text()).isEqualTo("+OK log level notice [5]");

        Call call = call(true);
        call.session().execute("playback", "silence_stream://100").get(5, TimeUnit.SECONDS);
        waitUntil(() -> lines.stream().anyMatch(l -> l.text().contains("New Channel")), 5000);
        org.switchboard.esl.EslLogLine created = lines.stream().filter(l -> l.text().contains("New Channel")).findFirst()
                .orElseThrow();
        assertThat(created.level()).isEqualTo(5);
        assertThat(created.channelUuid()).contains(call.uuid());
        assertThat(created.file()).isEqualTo("switch_channel.c");
        assertThat(created.text()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\[NOTICE\\] "
                + "switch_channel\\.c:\\d+ New Channel \\S+ \\[" + call.uuid() + "\\]\\n");
        assertThat(lines).as("DEBUG lines are above NOTICE").noneMatch(l -> l.text().contains("EXECUTE"));

        assertThat(client.log("7").get(5, TimeUnit.SECONDS).text()).isEqualTo("+OK log level debug [7]");
        call.session().execute("playback", "silence_stream://100").get(5, TimeUnit.SECONDS);
        waitUntil(() -> lines.stream().anyMatch(l -> l.text().contains("EXECUTE [depth=0]")
                && l.text().contains("playback(silence_stream://100)")), 5000);

        assertThat(client.nolog().get(5, TimeUnit.SECONDS).text()).isEqualTo("+OK no longer logging");
        int before = lines.size();
        assertThat(call.phone().bye().status()).isEqualTo(200);
        waitUntil(() -> server.channelCount() == 0, 5000);
        // the hangup is done and a later command answered: any line it logged was sent before that answer
        assertThat(client.api("status").get(5, TimeUnit.SECONDS)).contains("is ready");
        Poll.holds(Duration.ofMillis(200), "no line after nolog", () -> lines.size() == before);
    }

    @Test
    void speakSaysTheTextWithFliteAndRefusesOtherEngines() throws Exception {
        Call call = call(true);
        call.caller().clear();
        EslEvent done = call.session().execute("speak", "flite|slt|Please enter your account number")
                .get(15, TimeUnit.SECONDS);
        assertThat(done.header("Application-Response")).contains("FILE PLAYED");
        assertThat(awaitEvent(call.uuid(), "PLAYBACK_START", 1000).header("Playback-File-Path")).get().asString()
                .contains("switchboard-tts").endsWith(".wav");
        long ms = Long.parseLong(done.variable("playback_ms").orElseThrow());
        assertThat(ms).as("the sentence's length").isBetween(1200L, 4000L);
        waitUntil("speech heard by the caller", () -> call.caller().rms() > 300, 5000);

        assertThat(call.session().execute("speak", "polly|joanna|hello").get(5, TimeUnit.SECONDS)
                .header("Application-Response")).get().asString().startsWith("-ERR invalid TTS module");
        call.session().execute("set", "tts_engine=flite").get(5, TimeUnit.SECONDS);
        call.session().execute("set", "tts_voice=kal").get(5, TimeUnit.SECONDS);
        assertThat(call.session().execute("speak", "one two three").get(15, TimeUnit.SECONDS)
                .header("Application-Response")).contains("FILE PLAYED");
        assertThat(call.session().execute("speak", "flite|../../etc|hello").get(5, TimeUnit.SECONDS)
                .header("Application-Response")).get().asString().startsWith("-ERR not a flite voice");
    }

    @Test
    void recordSessionTakesBothLegsUntilHangupAndMultisetExportSetVariables() throws Exception {
        Call call = call(true);
        call.session().execute("multiset", "^^:color=blue:size=7").get(5, TimeUnit.SECONDS);
        call.session().execute("export", "shape=round").get(5, TimeUnit.SECONDS);
        String dump = dump(call.session(), call.uuid());
        assertThat(dump).contains("variable_color: blue\n").contains("variable_size: 7\n")
                .contains("variable_shape: round\n");
        assertThat(call.session().api("uuid_dump " + call.uuid() + " json").get(5, TimeUnit.SECONDS))
                .startsWith("{\"Event-Name\":\"CHANNEL_DATA\"").contains("\"variable_color\":\"blue\"");
        Path file = folder.resolve("recordings/session-" + call.uuid() + ".wav");
        EslEvent started = call.session().execute("record_session", file.toString()).get(5, TimeUnit.SECONDS);
        assertThat(started.header("Application")).contains("record_session");
        assertThat(awaitEvent(call.uuid(), "RECORD_START", 1000).header("Record-File-Path")).contains(file.toString());
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(1000,0,440)", folder, 8000), null);
        call.session().execute("playback", "tone_stream://%(1000,0,1300)").get(5, TimeUnit.SECONDS);
        assertThat(call.phone().bye().status()).isEqualTo(200);
        EslEvent stopped = awaitEvent(call.uuid(), "RECORD_STOP", 2000);
        assertThat(Long.parseLong(stopped.variable("record_ms").orElseThrow())).isGreaterThan(900);
        short[] s = Wav.read(file).samples();
        assertThat(Goertzel.amplitude(s, 0, s.length, 440, 8000)).as("the caller's leg").isGreaterThan(500);
        assertThat(Goertzel.amplitude(s, 0, s.length, 1300, 8000)).as("our leg").isGreaterThan(500);
    }

    @Test
    void recordStereoPutsTheCallerLeftAndUsRight() throws Exception {
        Call call = call(true);
        call.session().execute("set", "RECORD_STEREO=true").get(5, TimeUnit.SECONDS);
        Path file = folder.resolve("recordings/stereo-" + call.uuid() + ".wav");
        call.session().execute("record_session", file.toString()).get(5, TimeUnit.SECONDS);
        call.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(1000,0,440)", folder, 8000), null);
        call.session().execute("playback", "tone_stream://%(1000,0,1300)").get(5, TimeUnit.SECONDS);
        call.session().execute("stop_record_session", file.toString()).get(5, TimeUnit.SECONDS);
        Audio stereo = Wav.read(file);
        assertThat(stereo.channels()).isEqualTo(2);
        short[] left = new short[stereo.frames()];
        short[] right = new short[stereo.frames()];
        for (int i = 0; i < left.length; i++) {
            left[i] = stereo.sample(i, 0);
            right[i] = stereo.sample(i, 1);
        }
        assertThat(Goertzel.amplitude(left, 0, left.length, 440, 8000)).as("the caller, left").isGreaterThan(500);
        assertThat(Goertzel.amplitude(left, 0, left.length, 1300, 8000)).isLessThan(100);
        assertThat(Goertzel.amplitude(right, 0, right.length, 1300, 8000)).as("us, right").isGreaterThan(500);
        assertThat(Goertzel.amplitude(right, 0, right.length, 440, 8000)).isLessThan(100);
    }

    @Test
    void sipInfoDtmfReachesTheController() throws Exception {
        Call call = call(true);
        assertThat(call.phone().info("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n").status()).isEqualTo(200);
        EslEvent dtmf = awaitEvent(call.uuid(), "DTMF", 2000);
        assertThat(dtmf.header("DTMF-Digit")).contains("5");
        assertThat(dtmf.header("DTMF-Duration")).contains("1280");
        assertThat(dtmf.header("DTMF-Source")).contains("ENDPOINT");
    }

    @Test
    void exitFromTheControllerEndsTheCallWithBye() throws Exception {
        Call call = call(true);
        call.session().exit().get(5, TimeUnit.SECONDS);
        assertThat(call.phone().awaitBye(3000)).as("the dialplan ends after the socket: BYE to the MRF").isTrue();
    }

    @Test
    void lingerKeepsTheSocketOpenAfterHangup() throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1, LOOPBACK);
             SipPhone phone = new SipPhone(server.sipAddress())) {
            SipResponse ok = phone.invite(Map.of("User-Agent", "drachtio-fsmrf:linger",
                    "X-esl-outbound", "127.0.0.1:" + listener.getLocalPort()), SipPhone.sdp(40002, "0 101"));
            assertThat(ok.status()).isEqualTo(200);
            phone.ack(phone.lastInviteSeq(), null);
            listener.setSoTimeout(3000);
            try (Socket s = listener.accept()) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out.write("connect\n\n".getBytes(StandardCharsets.UTF_8));
                while (!in.readLine().equals("Control: full")) {
                    // the CHANNEL_DATA reply
                }
                in.readLine();
                out.write("linger 1\n\n".getBytes(StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("Content-Type: command/reply");
                assertThat(in.readLine()).isEqualTo("Reply-Text: +OK will linger 1 seconds");
                in.readLine();
                assertThat(phone.bye().status()).isEqualTo(200);
                long hungUp = System.nanoTime();
                assertThat(in.readLine()).isEqualTo("Content-Type: text/disconnect-notice");
                in.readLine();
                assertThat(in.readLine()).isEqualTo("Content-Disposition: linger");
                String line;
                String last = null;
                while ((line = in.readLine()) != null) {
                    last = line;
                }
                long lingered = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungUp);
                assertThat(lingered).isBetween(900L, 3000L);
                assertThat(last).isEqualTo("See you at ClueCon! http://www.cluecon.com/");
            }
        }
    }

    @Test
    void hangupAppSendsByeAndTheSocketIsDisconnected() throws Exception {
        Call call = call(true);
        call.session().execute("hangup", "").handle((e, t) -> null);
        assertThat(call.phone().awaitBye(3000)).isTrue();
        assertThat(awaitEvent(call.uuid(), "CHANNEL_CALLSTATE", 2000).header("Channel-Call-State")).contains("HANGUP");
        waitUntil(() -> server.channelCount() == 0, 10_000);
    }

    @Test
    void byeFromTheMrfHangsUpTheChannel() throws Exception {
        Call call = call(true);
        assertThat(call.phone().bye().status()).isEqualTo(200);
        EslEvent hangup = awaitEvent(call.uuid(), "CHANNEL_CALLSTATE", 2000);
        assertThat(hangup.header("Hangup-Cause")).contains("NORMAL_CLEARING");
        assertThat(call.phone().byeReceived).isNull();
    }

    @Test
    void thirdPartyCallControlOffersInThe200AndTakesTheAnswerInTheAck() throws Exception {
        TestEar caller = newCaller();
        cleanup.add(caller);
        SipPhone phone = new SipPhone(server.sipAddress());
        cleanup.add(phone);
        SipResponse ok = phone.invite(Map.of("User-Agent", "drachtio-fsmrf:3pcc",
                "X-esl-outbound", "127.0.0.1:" + controller.address().getPort()), null);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.bodyAsString()).contains("RTP/AVP 111 9 0 8 101").contains("a=rtpmap:111 opus/48000/2");
        String blackHole = ok.bodyAsString().replace("a=sendrecv", "a=recvonly");
        phone.ack(phone.lastInviteSeq(), blackHole);
        OutboundSession session = sessions.poll(5, TimeUnit.SECONDS);
        cleanup.add(0, session);
        waitUntil(() -> dump(session, session.uuid()).contains("variable_switch_r_sdp: v%3D0"), 2000);
        // modify: a re-INVITE with the caller's real SDP
        SipResponse reinvite = phone.invite(Map.of(), SipPhone.sdp(caller.rtp.localPort(), "0 101"));
        assertThat(reinvite.status()).isEqualTo(200);
        assertThat(reinvite.bodyAsString()).contains("RTP/AVP 0 101");
        phone.ack(phone.lastInviteSeq(), null);
        String dump = dump(session, session.uuid());
        assertThat(dump).contains("variable_remote_media_port: " + caller.rtp.localPort());
        assertThat(dump).contains("m%3Daudio%20" + caller.rtp.localPort());
        // hold and unhold
        SipResponse hold = phone.invite(Map.of(), SipPhone.sdp(caller.rtp.localPort(), "0 101")
                .replace("a=sendrecv", "a=sendonly"));
        assertThat(hold.bodyAsString()).contains("a=recvonly");
        SipResponse unhold = phone.invite(Map.of(), SipPhone.sdp(caller.rtp.localPort(), "0 101"));
        assertThat(unhold.bodyAsString()).contains("a=sendrecv");
        assertThat(phone.bye().status()).isEqualTo(200);
    }

    @Test
    void threePartyConferenceMixesMutesAndKicks() throws Exception {
        Call a = call(true);
        Call b = call(true);
        Call c = call(true);
        for (Call x : List.of(a, b, c)) {
            x.session().subscribe(EventFormat.JSON, "CUSTOM", "conference::maintenance").get(5, TimeUnit.SECONDS);
        }
        CompletableFuture<EslEvent> aJoined = a.session().execute("conference", "demo3");
        EslEvent added = awaitCustom(a.uuid(), "add-member", 2000);
        String confUuid = added.header("Conference-Unique-ID").orElseThrow();
        int aId = Integer.parseInt(added.header("Member-ID").orElseThrow());
        b.session().execute("conference", "demo3");
        awaitCustom(b.uuid(), "add-member", 2000);
        CompletableFuture<EslEvent> cJoined = c.session().execute("conference", "demo3");
        EslEvent cAdded = awaitCustom(c.uuid(), "add-member", 2000);
        assertThat(cAdded.header("Conference-Unique-ID")).contains(confUuid);
        assertThat(cAdded.header("Conference-Size")).contains("3");
        assertThat(a.session().api("conference demo3 list count").get(5, TimeUnit.SECONDS)).isEqualTo("3");
        // A talks (440 Hz), B (silent) talks at 1 kHz: C hears both, A hears only B
        a.caller().clear();
        c.caller().clear();
        a.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(8000,0,440)", folder, 8000), null);
        b.caller().rtp.play(org.switchboard.media.source.Sources.open("tone_stream://%(8000,0,1000)", folder, 8000), null);
        long recent = TestEar.RECENT_MILLIS;
        waitUntil("both tones mixed for C, B's for A", () -> c.caller().amplitudeAt(440, recent) > 500
                && c.caller().amplitudeAt(1000, recent) > 500 && a.caller().amplitudeAt(1000, recent) > 500, 5000);
        a.caller().clear();
        c.caller().listenAfresh(1000);
        assertThat(c.caller().amplitudeAt(440)).isGreaterThan(500);
        assertThat(c.caller().amplitudeAt(1000)).isGreaterThan(500);
        assertThat(a.caller().amplitudeAt(1000)).isGreaterThan(500);
        assertThat(a.caller().amplitudeAt(440)).as("a member does not hear itself").isLessThan(100);
        assertThat(awaitCustom(a.uuid(), "start-talking", 2000).header("Member-ID")).contains(Integer.toString(aId));
        assertThat(new ObjectMapper().readTree(a.session().api("conference demo3 json_list").get(5, TimeUnit.SECONDS))
                .findParents("uuid").stream().filter(m -> m.get("uuid").asText().equals(a.uuid())).findFirst()
                .orElseThrow().get("flags").get("talking").asBoolean()).as("A talks (its tone plays on)").isTrue();
        Path mix = folder.resolve("recordings/demo3.wav");
        // the recorded span is bounded by when each command was sent and answered, as the test saw it
        long startSent = System.nanoTime();
        assertThat(a.session().api("conference demo3 recording start " + mix).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK Record file " + mix + "\n");
        long startAnswered = System.nanoTime();
        Thread.sleep(600); // deliberate pacing: what is recorded
        long pauseSent = System.nanoTime();
        assertThat(a.session().api("conference demo3 recording pause " + mix).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK Pause recording file " + mix + "\n");
        long pauseAnswered = System.nanoTime();
        Thread.sleep(400); // deliberate pacing: what the pause leaves out of the file
        long resumeSent = System.nanoTime();
        assertThat(a.session().api("conference demo3 recording resume " + mix).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK Resume recording file " + mix + "\n");
        assertThat(a.session().api("conference  demo3 recording stop " + mix).get(5, TimeUnit.SECONDS))
                .isEqualTo("Stopped recording file " + mix + "\n+OK Stopped recording 1 file\n");
        long stopAnswered = System.nanoTime();
        short[] mixed = Wav.read(mix).samples();
        long atLeast = samples(pauseSent - startAnswered) / 2; // half: the media clock may lag the test's under load
        long atMost = samples(pauseAnswered - startSent) + samples(stopAnswered - resumeSent) + 2 * 160;
        assertThat((long) mixed.length).as("about 600 ms recorded, the 400 ms paused left out")
                .isBetween(atLeast, atMost);
        assertThat(Goertzel.amplitude(mixed, 0, mixed.length, 440, 8000)).as("a in the recorded mix").isGreaterThan(500);
        assertThat(Goertzel.amplitude(mixed, 0, mixed.length, 1000, 8000)).as("b in the recorded mix").isGreaterThan(500);
        // mute A: C no longer hears 440
        assertThat(c.session().api("conference demo3 mute " + aId).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK mute " + aId + "\n");
        waitUntil("the mute through to C's ear", () -> c.caller().amplitudeAt(440, recent) < 100, 5000);
        c.caller().listenAfresh(800);
        assertThat(c.caller().amplitudeAt(440)).as("A stays muted").isLessThan(100);
        double full = c.caller().amplitudeAt(1000);
        assertThat(full).isGreaterThan(500);
        // C turns what it hears down to level -4 (a fifth, as FreeSWITCH's volume table)
        String cId0 = cAdded.header("Member-ID").orElseThrow();
        assertThat(c.session().api("conference demo3 volume_out " + cId0 + " -4").get(5, TimeUnit.SECONDS))
                .isEqualTo("Volume OUT " + cId0 + " = -4\n");
        assertThat(awaitCustom(c.uuid(), "volume-out-member", 2000).header("Volume-Level")).contains("-4");
        waitUntil("the lower level through to C's ear",
                () -> c.caller().amplitudeAt(1000, recent) / full < 0.3, 5000);
        c.caller().listenAfresh(800);
        assertThat(c.caller().amplitudeAt(1000) / full).isBetween(0.1, 0.3);
        // deaf C hears nothing at all
        assertThat(c.session().api("conference demo3 deaf " + cId0).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK deaf " + cId0 + "\n");
        waitUntil("deafness through to C's ear", () -> c.caller().amplitudeAt(1000, recent) < 20, 5000);
        c.caller().listenAfresh(600);
        assertThat(c.caller().amplitudeAt(1000)).as("C stays deaf").isLessThan(20);
        // json_list, as mod_conference's: A muted, C deaf
        JsonNode listed = new ObjectMapper().readTree(a.session().api("conference json_list compact").get(5, TimeUnit.SECONDS));
        JsonNode demo3 = listed.findParents("conference_name").stream()
                .filter(n -> n.get("conference_name").asText().equals("demo3")).findFirst().orElseThrow();
        assertThat(demo3.get("member_count").asInt()).isEqualTo(3);
        assertThat(demo3.get("conference_uuid").asText()).isEqualTo(confUuid);
        assertThat(demo3.get("run_time").asLong()).isGreaterThanOrEqualTo(1);
        Map<String, JsonNode> byUuid = new LinkedHashMap<>();
        demo3.get("members").forEach(m -> byUuid.put(m.get("uuid").asText(), m));
        assertThat(byUuid).containsOnlyKeys(a.uuid(), b.uuid(), c.uuid());
        assertThat(byUuid.get(a.uuid()).get("id").asInt()).isEqualTo(aId);
        assertThat(byUuid.get(a.uuid()).get("flags").get("can_speak").asBoolean()).isFalse();
        assertThat(byUuid.get(c.uuid()).get("flags").get("can_hear").asBoolean()).isFalse();
        assertThat(byUuid.get(b.uuid()).get("flags").get("can_speak").asBoolean()).isTrue();
        assertThat(byUuid.get(b.uuid()).get("flags").get("can_hear").asBoolean()).isTrue();
        assertThat(new ObjectMapper().readTree(a.session().api("conference demo3 json_list").get(5, TimeUnit.SECONDS)))
                .hasSize(1);
        // a file played to A alone: A hears its 700 Hz, C (deaf or not) does not take part
        a.caller().clear();
        assertThat(a.session().api("conference demo3 play prompt.wav " + aId).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK (play) Playing file prompt.wav to member " + aId + "\n");
        waitUntil("the prompt heard by A", () -> a.caller().amplitudeAt(700, recent) > 500, 5000);
        assertThat(awaitCustom(a.uuid(), "play-file-member-done", 3000).header("File")).contains("prompt.wav");
        // kick C: its conference application returns, the others stay
        String cId = cAdded.header("Member-ID").orElseThrow();
        assertThat(a.session().api("conference demo3 kick " + cId).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK kicked " + cId + "\n");
        assertThat(cJoined.get(5, TimeUnit.SECONDS).header("Application")).contains("conference");
        assertThat(a.session().api("conference demo3 list count").get(5, TimeUnit.SECONDS)).isEqualTo("2");
        assertThatThrownBy(() -> a.session().api("conference demo3 kick 99999").get(5, TimeUnit.SECONDS))
                .hasMessageEndingWith("-ERR Non-Existant ID 99999");
        // play to everyone: play-file-done with the file named as given (a conference event: no Unique-ID)
        a.session().filter("Conference-Unique-ID", confUuid).get(5, TimeUnit.SECONDS);
        assertThat(a.session().api("conference demo3 play prompt.wav").get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK (play) Playing file prompt.wav\n");
        EslEvent played = awaitCustom(confUuid, "play-file-done", 4000);
        assertThat(played.header("File")).contains("prompt.wav");
        assertThat(played.header("milliseconds")).contains("2000");
        a.phone().bye();
        b.phone().bye();
        assertThat(aJoined.handle((e, t) -> "done").get(5, TimeUnit.SECONDS)).isEqualTo("done");
        waitUntil(() -> {
            try {
                c.session().api("conference demo3 list count").get(5, TimeUnit.SECONDS);
                return false;
            } catch (Exception e) {
                return e.getMessage().endsWith("-ERR Conference demo3 not found");
            }
        }, 3000);
    }

    @Test
    void theLastEndconfMemberLeavingEndsTheConferenceAndTheOthersGoBackToPark() throws Exception {
        Call control = call(true);
        Call member = call(true);
        for (Call x : List.of(control, member)) {
            x.session().subscribe(EventFormat.JSON, "CUSTOM", "conference::maintenance").get(5, TimeUnit.SECONDS);
        }
        control.session().execute("conference", "endc++flags{endconf|mute|vmute}");
        EslEvent added = awaitCustom(control.uuid(), "add-member", 2000);
        assertThat(added.header("Unique-ID")).contains(control.uuid());
        assertThat(added.header("Speak")).contains("false");
        String confUuid = added.header("Conference-Unique-ID").orElseThrow();
        member.session().filter("Conference-Unique-ID", confUuid).get(5, TimeUnit.SECONDS);
        CompletableFuture<EslEvent> joined = member.session().execute("conference", "endc");
        awaitCustom(member.uuid(), "add-member", 2000);
        assertThat(control.phone().bye().status()).isEqualTo(200);
        awaitCustom(confUuid, "conference-destroy", 3000);
        assertThat(joined.get(5, TimeUnit.SECONDS).header("Application")).contains("conference");
        assertThat(member.session().execute("playback", "silence_stream://100").get(5, TimeUnit.SECONDS)
                .header("Application-Response")).as("the member is back in park, still controlled").contains("FILE PLAYED");
    }

    @Test
    void aMemberTransferredToAnotherConferenceLeavesTheFirst() throws Exception {
        Call a = call(true);
        Call b = call(true);
        for (Call x : List.of(a, b)) {
            x.session().subscribe(EventFormat.JSON, "CUSTOM", "conference::maintenance").get(5, TimeUnit.SECONDS);
        }
        a.session().execute("conference", "xfer-a");
        awaitCustom(a.uuid(), "add-member", 2000);
        b.session().execute("conference", "xfer-a");
        String bId = awaitCustom(b.uuid(), "add-member", 2000).header("Member-ID").orElseThrow();
        assertThat(a.session().api("conference xfer-a transfer xfer-b " + bId).get(5, TimeUnit.SECONDS))
                .isEqualTo("+OK Member '" + bId + "' sent to conference xfer-b.\n");
        EslEvent moved = awaitCustom(b.uuid(), "transfer", 2000);
        assertThat(moved.header("New-Conference-Name")).contains("xfer-b");
        EslEvent added = awaitCustom(b.uuid(), "add-member", 2000);
        assertThat(added.header("Conference-Name")).contains("xfer-b");
        assertThat(added.header("Member-ID")).contains(bId);
        assertThat(a.session().api("conference xfer-a list count").get(5, TimeUnit.SECONDS)).isEqualTo("1");
        assertThat(a.session().api("conference xfer-b list count").get(5, TimeUnit.SECONDS)).isEqualTo("1");
        a.phone().bye();
        b.phone().bye();
    }

    private EslEvent awaitCustom(String uuid, String action, long millis) throws InterruptedException {
        BlockingQueue<EslEvent> q = eventsByUuid.computeIfAbsent(uuid, k -> new LinkedBlockingQueue<>());
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            EslEvent e = q.poll(50, TimeUnit.MILLISECONDS);
            if (e != null && e.eventName().equals("CUSTOM") && e.header("Action").filter(action::equals).isPresent()) {
                return e;
            }
        }
        throw new AssertionError("no " + action + " for " + uuid + " within " + millis + " ms");
    }

    private static String dump(OutboundSession session, String uuid) {
        try {
            return session.api("uuid_dump " + uuid).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUnreachableControllerEndsTheCallWithBye() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        try (SipPhone phone = new SipPhone(server.sipAddress())) {
            SipResponse ok = phone.invite(Map.of("User-Agent", "drachtio-fsmrf:nobody",
                    "X-esl-outbound", "127.0.0.1:" + closedPort), SipPhone.sdp(40004, "0 101"));
            assertThat(ok.status()).isEqualTo(200);
            phone.ack(phone.lastInviteSeq(), null);
            assertThat(phone.awaitBye(3000)).isTrue();
        }
    }

    @Test
    void refusesCallsThatAreNotFromTheMrf() throws Exception {
        int before = server.channelCount(); // earlier tests' channels may still be going away, none may come
        try (SipPhone phone = new SipPhone(server.sipAddress())) {
            SipResponse r = phone.invite(Map.of("User-Agent", "sipp"), SipPhone.sdp(40000, "0"));
            assertThat(r.status()).isEqualTo(404);
        }
        assertThat(server.channelCount()).isLessThanOrEqualTo(before);
    }

    @Test
    void inboundEventSocketAuthApiBgapiAndHeartbeat() throws Exception {
        List<EslEvent> events = new CopyOnWriteArrayList<>();
        EslListener listener = events::add;
        EslClient client = inboundClient(listener);
        String sofia = client.api("sofia status").get(5, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("^\\s*drachtio_mrf\\s.*sip:mod_sofia@((?:[0-9]{1,3}\\.){3}[0-9]{1,3}:\\d+)",
                Pattern.MULTILINE).matcher(sofia);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("127.0.0.1:" + server.sipAddress().getPort());
        assertThatThrownBy(() -> client.api("nosuchcommand").get(5, TimeUnit.SECONDS))
                .hasMessageEndingWith("-ERR nosuchcommand Command not found!");
        assertThatThrownBy(() -> client.api("conference demo list count").get(5, TimeUnit.SECONDS))
                .hasMessageEndingWith("-ERR Conference demo not found");
        client.subscribe(EventFormat.JSON, "HEARTBEAT", "BACKGROUND_JOB").get(5, TimeUnit.SECONDS);
        EslEvent job = client.bgapi("status").get(5, TimeUnit.SECONDS);
        assertThat(job.body()).contains("is ready");
        waitUntil(() -> events.stream().anyMatch(e -> e.eventName().equals("HEARTBEAT")), 2000);
        EslEvent beat = events.stream().filter(e -> e.eventName().equals("HEARTBEAT")).findFirst().orElseThrow();
        assertThat(beat.header("Event-Info")).contains("System Ready");
        assertThat(beat.header("Core-UUID")).isPresent();
        assertThat(Double.parseDouble(beat.header("Idle-CPU").orElseThrow())).isBetween(0.0, 100.0);
        assertThat(Long.parseLong(beat.header("Session-Since-Startup").orElseThrow())).isEqualTo(
                Long.parseLong(client.api("status").get(5, TimeUnit.SECONDS).lines()
                        .filter(l -> l.endsWith("since startup")).findFirst().orElseThrow().split(" ")[0]));
    }

    @Test
    void wrongPasswordGetsInvalidAndTheGoodbyeNotice() throws Exception {
        try (Socket s = new Socket(LOOPBACK, server.eslAddress().getPort())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("Content-Type: auth/request");
            assertThat(in.readLine()).isEmpty();
            out.write("api status\n\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("Content-Type: command/reply");
            assertThat(in.readLine()).isEqualTo("Reply-Text: -ERR command not found");
            assertThat(in.readLine()).isEmpty();
            out.write("auth wrong\n\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("Content-Type: command/reply");
            assertThat(in.readLine()).isEqualTo("Reply-Text: -ERR invalid");
            assertThat(in.readLine()).isEmpty();
            assertThat(in.readLine()).isEqualTo("Content-Type: text/disconnect-notice");
            assertThat(in.readLine()).isEqualTo("Content-Length: 67");
            assertThat(in.readLine()).isEmpty();
            assertThat(in.readLine()).isEqualTo("Disconnected, goodbye.");
            assertThat(in.readLine()).isEqualTo("See you at ClueCon! http://www.cluecon.com/");
            assertThat(in.readLine()).isNull();
        }
    }

    @Test
    void peersOutsideTheAclGetTheRudeRejection() throws Exception {
        try (MediaServer guarded = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0)).esl(new InetSocketAddress(LOOPBACK, 0))
                .eslAcl(org.switchboard.media.esl.Acl.parse(List.of("127.0.0.2/32"))).rtpPorts(41300, 41310).build());
             Socket s = new Socket(LOOPBACK, guarded.eslAddress().getPort())) {
            s.setSoTimeout(3000);
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n");
        }
        assertThat(org.switchboard.media.esl.Acl.loopback().allows(InetAddress.getByName("127.5.6.7"))).isTrue();
        assertThat(org.switchboard.media.esl.Acl.loopback().allows(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(org.switchboard.media.esl.Acl.parse(List.of("10.1.0.0/16")).allows(InetAddress.getByName("10.1.200.3")))
                .isTrue();
        assertThatThrownBy(() -> org.switchboard.media.esl.Acl.parse(List.of("10.1.0.0/33")))
                .hasMessageContaining("prefix length");
    }

    @Test
    void aGracefulShutdownRefusesNewCallsAndWaitsForTheCallsUpSayingItIsNotReady() throws Exception {
        MediaServer other = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0)).esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(41400, 41420).heartbeat(Duration.ofSeconds(1)).build());
        CompletableFuture<String> notReadyBeat = new CompletableFuture<>();
        try (SipPhone up = new SipPhone(other.sipAddress()); SipPhone late = new SipPhone(other.sipAddress());
             EslClient client = EslClient.connect(EslClientConfig.builder().host("127.0.0.1")
                     .port(other.eslAddress().getPort()).password("ClueCon").reconnect(false).build(), e -> {
                         if (e.header("Event-Info").orElse("").equals("System Not Ready")) {
                             notReadyBeat.complete(e.eventName());
                         }
                     }).get(5, TimeUnit.SECONDS)) {
            client.subscribe(EventFormat.PLAIN, "HEARTBEAT").get(5, TimeUnit.SECONDS);
            assertThat(up.invite(Map.of("User-Agent", "drachtio-fsmrf:up"), SipPhone.sdp(40006, "0")).status())
                    .isEqualTo(200);
            up.ack(up.lastInviteSeq(), null);
            assertThat(client.api("status").get(5, TimeUnit.SECONDS)).contains(") is ready");
            CompletableFuture<Void> down = other.shutdownGracefully(Duration.ofSeconds(5));
            assertThat(late.invite(Map.of("User-Agent", "drachtio-fsmrf:late"), SipPhone.sdp(40008, "0")).status())
                    .isEqualTo(503);
            // as FreeSWITCH says while it takes no new calls: what a pool's client reads to stop choosing it
            assertThat(client.api("status").get(5, TimeUnit.SECONDS)).contains(") is not ready");
            assertThat(notReadyBeat.get(5, TimeUnit.SECONDS)).isEqualTo("HEARTBEAT");
            // the late call was refused: the server drains; it must go on waiting while the call is up
            Poll.holds(Duration.ofMillis(300), "the shutdown waiting for the call up", () -> !down.isDone());
            assertThat(up.bye().status()).isEqualTo(200);
            down.get(3, TimeUnit.SECONDS);
        } finally {
            other.close();
        }
    }

    @Test
    void theJavaClientLogsInWithUserauthAsAConfiguredUser() throws Exception {
        try (MediaServer withUsers = MediaServer.start(MediaServerConfig.builder()
                .sip(new InetSocketAddress(LOOPBACK, 0)).esl(new InetSocketAddress(LOOPBACK, 0))
                .rtpPorts(41400, 41499).sounds(folder.resolve("sounds")).eslUser("ops@example.org", "s3cret").build());
             EslClient client = EslClient.connect(EslClientConfig.builder().host("127.0.0.1")
                     .port(withUsers.eslAddress().getPort()).userauth("ops", "example.org", "s3cret").reconnect(false)
                     .build(), e -> { }).get(5, TimeUnit.SECONDS)) {
            assertThat(client.api("status").get(5, TimeUnit.SECONDS)).contains("is ready");
        }
    }

    @Test
    void aNonLoopbackEventSocketNeedsAnExplicitPassword() {
        assertThatThrownBy(() -> MediaServerConfig.builder().esl(new InetSocketAddress("0.0.0.0", 8021)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("explicit password");
        assertThatThrownBy(() -> MediaServerConfig.builder().esl(new InetSocketAddress("0.0.0.0", 8021))
                .password("ClueCon").build()).as("the well-known default, given explicitly")
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("ClueCon");
        assertThat(MediaServerConfig.builder().esl(new InetSocketAddress("0.0.0.0", 8021)).password("s3cret").build()
                .password()).isEqualTo("s3cret");
        assertThatThrownBy(() -> MediaServerConfig.builder().esl(new InetSocketAddress("0.0.0.0", 8021))
                .password("s3cret").eslUser("ops@example.org", "ClueCon").build()).as("a userauth user with it")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> MediaServerConfig.builder().eslUser("ops", "x")).as("not user@domain")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MediaServerConfig.builder().eslUser("ops@example.org", "x").build().eslUsers()
                .get("ops@example.org").password()).isEqualTo("x");
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        waitUntil("the condition", condition, millis);
    }

    static void waitUntil(String what, java.util.function.BooleanSupplier condition, long millis)
            throws InterruptedException {
        Poll.await(Duration.ofMillis(millis), what, condition);
    }

    /** Samples at 8 kHz in {@code nanos}. */
    static long samples(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) * 8;
    }
}
