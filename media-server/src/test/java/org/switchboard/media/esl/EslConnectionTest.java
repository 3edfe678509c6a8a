package org.switchboard.media.esl;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.codec.EslFrameDecoder;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.media.core.Channel;
import org.switchboard.media.core.Core;

/** The switch side of the event socket without sockets: commands in, replies and events out (the switch-side checks S1-S9 of docs/media-server.md). */
class EslConnectionTest {

    final Core core = new Core("127.0.0.1", Map.of());
    final Api api = new Api(core, SofiaProfile.udp("drachtio_mrf", "127.0.0.1", 5080), 1000);

    EmbeddedChannel inbound() {
        return new EmbeddedChannel(new EslFrameDecoder(EslConnection.MAX_HEADER_BYTES, EslFrameDecoder.DEFAULT_MAX_BODY_BYTES),
                EslConnection.inbound(core, api, Runnable::run, "ClueCon", Map.of(
                        "ops@example.org", EslUser.of("ops@example.org", "s3cret"),
                        "monitor@example.org", EslUser.of("monitor@example.org", "m0n")
                                .withAllowedEvents(EslUser.list("CHANNEL_CREATE CHANNEL_HANGUP CUSTOM conference::maintenance"))
                                .withAllowedApi(EslUser.list("status,expand,version"))
                                .withAllowedLog(false))));
    }

    static String send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        return read(ch);
    }

    static String read(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    EmbeddedChannel authenticated() {
        EmbeddedChannel ch = inbound();
        assertThat(read(ch)).isEqualTo("Content-Type: auth/request\n\n");
        assertThat(send(ch, "auth ClueCon\n\n")).isEqualTo("Content-Type: command/reply\nReply-Text: +OK accepted\n\n");
        return ch;
    }

    @Test
    void commandsBeforeAuthAreRefusedAndTheSocketStays() {
        EmbeddedChannel ch = inbound();
        read(ch);
        assertThat(send(ch, "api status\n\n")).isEqualTo("Content-Type: command/reply\nReply-Text: -ERR command not found\n\n");
        assertThat(ch.isActive()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void wrongPasswordIsInvalidThenGoodbyeAndClose() {
        EmbeddedChannel ch = inbound();
        read(ch);
        String out = send(ch, "auth nope\n\n");
        assertThat(out).isEqualTo("Content-Type: command/reply\nReply-Text: -ERR invalid\n\n"
                + "Content-Type: text/disconnect-notice\nContent-Length: 67\n\n"
                + "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aUserauthLoginIsHeldToItsUsersAllowedEventsApiAndLog() {
        EmbeddedChannel ch = inbound();
        read(ch);
        assertThat(send(ch, "userauth monitor@example.org:m0n\n\n")).isEqualTo("Content-Type: command/reply\n"
                + "Reply-Text: +OK accepted\nAllowed-Events: CHANNEL_CREATE CHANNEL_HANGUP CUSTOM conference::maintenance\n"
                + "Allowed-API: expand status version\nAllowed-LOG: false\n\n");
        String denied = "Content-Type: command/reply\nReply-Text: -ERR permission denied\n\n";
        assertThat(send(ch, "api status\n\n")).startsWith("Content-Type: api/response\n");
        assertThat(send(ch, "api show channels\n\n")).isEqualTo(denied);
        assertThat(send(ch, "bgapi show channels\n\n")).isEqualTo(denied);
        assertThat(send(ch, "api expand version\n\n")).as("a wrapper around an allowed command")
                .startsWith("Content-Type: api/response\n");
        assertThat(send(ch, "api expand show channels\n\n")).as("a wrapper does not open other commands")
                .isEqualTo(denied);
        assertThat(send(ch, "event plain CHANNEL_CREATE CUSTOM conference::maintenance\n\n"))
                .contains("+OK event listener enabled");
        assertThat(send(ch, "event plain CUSTOM sofia::register\n\n")).as("a subclass not allowed").isEqualTo(denied);
        assertThat(send(ch, "event plain CHANNEL_ANSWER\n\n")).isEqualTo(denied);
        assertThat(send(ch, "event plain ALL\n\n")).isEqualTo(denied);
        assertThat(send(ch, "event json channel_hangup\n\n")).contains("+OK event listener enabled");
        assertThat(send(ch, "log debug\n\n")).isEqualTo(denied);
        assertThat(ch.isActive()).as("a denial keeps the connection").isTrue();
        ch.finishAndReleaseAll();

        EmbeddedChannel password = authenticated();
        assertThat(send(password, "api show channels\n\n")).as("a password login has every right")
                .startsWith("Content-Type: api/response\n");
        password.finishAndReleaseAll();
    }

    @Test
    void userauthAcceptsAConfiguredUserAndRefusesOthersLikeAWrongPassword() {
        EmbeddedChannel ok = inbound();
        read(ok);
        assertThat(send(ok, "userauth ops@example.org:s3cret\n\n")).isEqualTo("Content-Type: command/reply\n"
                + "Reply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n");
        assertThat(send(ok, "api status\n\n")).startsWith("Content-Type: api/response\n");
        ok.finishAndReleaseAll();

        for (String attempt : new String[] {"ops@example.org:wrong", "other@example.org:s3cret", "ops@example.org"}) {
            EmbeddedChannel refused = inbound();
            read(refused);
            assertThat(send(refused, "userauth " + attempt + "\n\n")).as(attempt)
                    .startsWith("Content-Type: command/reply\nReply-Text: -ERR invalid\n\nContent-Type: text/disconnect-notice");
            assertThat(refused.isOpen()).isFalse();
            refused.finishAndReleaseAll();
        }
    }

    @Test
    void customTailTakesEveryTokenAsASubclass() {
        EmbeddedChannel ch = authenticated();
        assertThat(send(ch, "event json CHANNEL_EXECUTE CUSTOM conference::maintenance BACKGROUND_JOB\n\n"))
                .isEqualTo("Content-Type: command/reply\nReply-Text: +OK event listener enabled json\n\n");
        core.fire(core.event("BACKGROUND_JOB", "f", "g", 1).header("Job-UUID", "1").build());
        assertThat(read(ch)).as("BACKGROUND_JOB after CUSTOM is a subclass name").isEmpty();
        core.fire(core.event("CUSTOM", "f", "g", 1).header("Event-Subclass", "conference::maintenance").build());
        assertThat(read(ch)).startsWith("Content-Length: ").contains("Content-Type: text/event-json\n\n{\"Event-Name\":\"CUSTOM\"");
        ch.finishAndReleaseAll();
    }

    @Test
    void switchEventPrefixIsAcceptedAndUnknownNamesAloneAreNoKeywords() {
        EmbeddedChannel ch = authenticated();
        assertThat(send(ch, "event plain NO_SUCH_EVENT\n\n")).contains("Reply-Text: -ERR no keywords supplied");
        assertThat(send(ch, "event plain SWITCH_EVENT_PLAYBACK_START\n\n")).contains("+OK event listener enabled plain");
        core.fire(core.event("PLAYBACK_START", "f", "g", 1).build());
        String out = read(ch);
        assertThat(out).contains("Content-Type: text/event-plain\n\nEvent-Name: PLAYBACK_START\n");
        int length = Integer.parseInt(out.substring("Content-Length: ".length(), out.indexOf('\n')));
        assertThat(out.substring(out.indexOf("\n\n") + 2).getBytes(StandardCharsets.UTF_8)).hasSize(length);
        ch.finishAndReleaseAll();
    }

    @Test
    void positiveFiltersAreOredAndANegativeOneVetoes() {
        EmbeddedChannel ch = authenticated();
        send(ch, "event plain ALL\n\n");
        assertThat(send(ch, "filter Unique-ID u1\n\n")).isEqualTo(
                "Content-Type: command/reply\nReply-Text: +OK filter added. [Unique-ID]=[u1]\n\n");
        send(ch, "filter Conference-Unique-ID c1\n\n");
        core.fire(core.event("DTMF", "f", "g", 1).header("Unique-ID", "u1").build());
        core.fire(core.event("CUSTOM", "f", "g", 1).header("Event-Subclass", "conference::maintenance")
                .header("Conference-Unique-ID", "c1").header("Unique-ID", "u2").build());
        core.fire(core.event("DTMF", "f", "g", 1).header("Unique-ID", "u3").build());
        core.fire(core.event("HEARTBEAT", "f", "g", 1).build());
        String out = read(ch);
        assertThat(Pattern.compile("Event-Name: ").matcher(out).results().count()).isEqualTo(2);
        assertThat(out).contains("Unique-ID: u1").contains("Unique-ID: u2").doesNotContain("u3").doesNotContain("HEARTBEAT");
        send(ch, "filter Event-Name -DTMF\n\n");
        core.fire(core.event("DTMF", "f", "g", 1).header("Unique-ID", "u1").build());
        assertThat(read(ch)).isEmpty();
        assertThat(send(ch, "filter delete all\n\n")).contains("+OK filter deleted.");
        core.fire(core.event("DTMF", "f", "g", 1).header("Unique-ID", "u3").build());
        assertThat(read(ch)).contains("Unique-ID: u3");
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionFilteredToItsChannelGetsOnlyThatChannelsEventsUntilTheFilterGoes() {
        EmbeddedChannel ch = authenticated();
        send(ch, "filter Unique-ID U1\n\n");
        send(ch, "event plain ALL\n\n");
        core.fire(core.event("DTMF", "f", "g", 1).header("Unique-ID", "u1").build());
        core.fire(core.event("DTMF", "f", "g", 1).header("Unique-ID", "u2").build());
        core.fire(core.event("HEARTBEAT", "f", "g", 1).build());
        String out = read(ch);
        assertThat(Pattern.compile("Event-Name: ").matcher(out).results().count()).isEqualTo(1);
        assertThat(out).contains("Unique-ID: u1");
        send(ch, "filter delete Unique-ID\n\n");
        core.fire(core.event("HEARTBEAT", "f", "g", 1).build());
        assertThat(read(ch)).contains("Event-Name: HEARTBEAT");
        ch.finishAndReleaseAll();
    }

    @Test
    void apiRepliesAndTheirBodies() {
        EmbeddedChannel ch = authenticated();
        assertThat(send(ch, "api nosuchcommand\n\n")).isEqualTo(
                "Content-Type: api/response\nContent-Length: 38\n\n-ERR nosuchcommand Command not found!\n");
        api.register("quiet", (a, c) -> "");
        assertThat(send(ch, "api quiet\n\n")).isEqualTo("Content-Type: api/response\nContent-Length: 14\n\n-ERR no reply\n");
        String sofia = send(ch, "api   sofia   status  \n\n");
        // the real switch's text (transcript esl-inbound-a) without its alias line
        String rule = "=".repeat(97) + "\n";
        String body = "                     Name\t   Type\t                                      Data\tState\n" + rule
                + "             drachtio_mrf\tprofile\t              sip:mod_sofia@127.0.0.1:5080\tRUNNING (0)\n" + rule
                + "1 profile 0 aliases\n";
        assertThat(sofia).isEqualTo("Content-Type: api/response\nContent-Length: " + body.length() + "\n\n" + body);
        assertThat(Pattern.compile("^\\s*drachtio_mrf\\s.*sip:mod_sofia@((?:[0-9]{1,3}\\.){3}[0-9]{1,3}:\\d+)",
                Pattern.MULTILINE).matcher(sofia).find()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void bgapiRepliesWithTheJobUuidThenFiresBackgroundJob() {
        EmbeddedChannel ch = authenticated();
        send(ch, "event plain BACKGROUND_JOB\n\n");
        String out = send(ch, "bgapi status\nJob-UUID: 7c0e9b8a\n\n");
        assertThat(out).startsWith("Content-Type: command/reply\nReply-Text: +OK Job-UUID: 7c0e9b8a\nJob-UUID: 7c0e9b8a\n\n");
        EslEvent job = EslEvent.fromPlain(out.substring(out.indexOf("text/event-plain\n\n") + 18)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(job.eventName()).isEqualTo("BACKGROUND_JOB");
        assertThat(job.header("Job-UUID")).contains("7c0e9b8a");
        assertThat(job.header("Job-Command")).contains("status");
        assertThat(job.body()).contains("is ready");
        ch.finishAndReleaseAll();
    }

    @Test
    void outboundSendsNothingBeforeConnectAndExecutesAfterTheOkReply() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Channel channel = new Channel(core, name -> name.equals("answer")
                ? Optional.of((c, a) -> {
                    ran.countDown();
                    return "_none_";
                }) : Optional.empty(), "sofia/drachtio_mrf/mrf@127.0.0.1", Map.of("Username", "mrf"));
        channel.set("sip_user_agent", "drachtio-fsmrf:1");
        EmbeddedChannel ch = new EmbeddedChannel(new EslFrameDecoder(),
                EslConnection.outbound(core, api, Runnable::run, channel));
        assertThat(read(ch)).isEmpty();
        assertThat(send(ch, "myevents\n\n")).as("nothing before connect").isEmpty();
        String data = send(ch, "connect\n\n");
        assertThat(data).startsWith("Event-Name: CHANNEL_DATA\n").contains("Channel-Unique-ID: " + channel.uuid() + "\n")
                .contains("variable_sip_user_agent: drachtio-fsmrf%3A1\n")
                .endsWith("Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: async\nControl: full\n\n");
        send(ch, "event plain CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE PRIVATE_COMMAND\n\n");
        assertThat(send(ch, "sendmsg\ncall-command: execute\nexecute-app-name: answer\nEvent-UUID: app-1\n\n"))
                .isEqualTo("Content-Type: command/reply\nReply-Text: +OK\n\n");
        Thread parker = new Thread(() -> {
            try {
                channel.park(() -> ran.getCount() == 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        parker.start();
        assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
        parker.join(2000);
        ch.runPendingTasks();
        String events = read(ch);
        assertThat(events).contains("Event-Name: CHANNEL_EXECUTE\n").contains("Event-Name: CHANNEL_EXECUTE_COMPLETE\n");
        assertThat(Pattern.compile("Application-UUID: app-1\n").matcher(events).results().count()).isEqualTo(2);
        assertThat(events.indexOf("Event-Name: PRIVATE_COMMAND\n")).as("the message again, after it ran")
                .isGreaterThan(events.indexOf("Event-Name: CHANNEL_EXECUTE_COMPLETE\n"));
        assertThat(events).contains("execute-app-name: answer\n");
        channel.hangup("NORMAL_CLEARING");
        ch.runPendingTasks();
        assertThat(read(ch)).contains("Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + channel.uuid()
                + "\nContent-Disposition: disconnect\nContent-Length: 67\n\n");
        ch.finishAndReleaseAll();
    }

    @Test
    void aMalformedCommandClosesOnlyThatConnection() {
        EmbeddedChannel bad = authenticated();
        EmbeddedChannel good = authenticated();
        bad.writeInbound(Unpooled.copiedBuffer("sendmsg\nContent-Length: lots\n\n", StandardCharsets.UTF_8));
        assertThat(bad.isOpen()).isFalse();
        bad.finishAndReleaseAll();
        EmbeddedChannel huge = authenticated();
        huge.writeInbound(Unpooled.copiedBuffer("api status\nX: " + "y".repeat(70_000), StandardCharsets.UTF_8));
        assertThat(huge.isOpen()).as("a header block over 64 KiB").isFalse();
        huge.finishAndReleaseAll();
        assertThat(send(good, "sendmsg\ncall-command: execute\n\n")).contains("-ERR invalid session id");
        assertThat(send(good, "api status\n\n")).contains("is ready");
        good.finishAndReleaseAll();
    }

    @Test
    void inboundMyeventsBindsToOneChannelAndXmlIsAFormat() {
        Channel mine = new Channel(core, n -> Optional.empty(), "sofia/p/a@b", Map.of());
        Channel other = new Channel(core, n -> Optional.empty(), "sofia/p/c@d", Map.of());
        EmbeddedChannel ch = authenticated();
        assertThat(send(ch, "myevents nosuchuuid\n\n")).contains("Reply-Text: -ERR invalid uuid");
        assertThat(send(ch, "myevents " + mine.uuid() + " xml\n\n")).contains("Reply-Text: +OK Events Enabled");
        assertThat(send(ch, "myevents " + mine.uuid() + "\n\n")).contains("Reply-Text: -ERR aready enabled.");
        other.dtmf('1', "RTP", 800);
        mine.dtmf('2', "RTP", 800);
        String out = read(ch);
        assertThat(out).contains("Content-Type: text/event-xml\n\n<event>").contains("<DTMF-Digit>2</DTMF-Digit>")
                .doesNotContain("<DTMF-Digit>1</DTMF-Digit>");
        mine.hangup("NORMAL_CLEARING");
        other.hangup("NORMAL_CLEARING");
        ch.finishAndReleaseAll();
    }

    @Test
    void nixeventAndNoeventsTakeSubscriptionsAway() {
        EmbeddedChannel ch = authenticated();
        send(ch, "event plain DTMF HEARTBEAT\n\n");
        assertThat(send(ch, "nixevent DTMF\n\n")).contains("Reply-Text: +OK events nixed");
        core.fire(core.event("DTMF", "f", "g", 1).build());
        core.fire(core.event("HEARTBEAT", "f", "g", 1).build());
        assertThat(read(ch)).contains("Event-Name: HEARTBEAT").doesNotContain("Event-Name: DTMF");
        assertThat(send(ch, "noevents\n\n")).contains("Reply-Text: +OK no longer listening for events");
        core.fire(core.event("HEARTBEAT", "f", "g", 1).build());
        assertThat(read(ch)).isEmpty();
        assertThat(send(ch, "noevents\n\n")).contains("Reply-Text: -ERR not listening for events");
        assertThat(send(ch, "events plain ALL\n\n")).as("commands match by prefix")
                .contains("+OK event listener enabled plain");
        ch.finishAndReleaseAll();
    }

    @Test
    void divertedDtmfGoesToTheControllerOnly() {
        Channel channel = new Channel(core, n -> Optional.empty(), "sofia/p/a@b", Map.of());
        EmbeddedChannel controller = new EmbeddedChannel(new EslFrameDecoder(),
                EslConnection.outbound(core, api, Runnable::run, channel));
        send(controller, "connect\n\n");
        EmbeddedChannel other = authenticated();
        send(other, "event plain DTMF\n\n");
        send(controller, "event plain DTMF\n\n");
        assertThat(send(other, "divert_events on\n\n")).contains("-ERR not controlling a session.");
        assertThat(send(controller, "divert_events on\n\n")).contains("+OK events diverted");
        channel.dtmf('7', "RTP", 800);
        assertThat(read(controller)).contains("DTMF-Digit: 7");
        assertThat(read(other)).isEmpty();
        assertThat(send(controller, "divert_events off\n\n")).contains("+OK events not diverted");
        channel.dtmf('8', "RTP", 800);
        assertThat(read(other)).contains("DTMF-Digit: 8");
        channel.hangup("NORMAL_CLEARING");
        controller.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    @Test
    void exitSaysByeAndCloses() {
        EmbeddedChannel ch = authenticated();
        assertThat(send(ch, "exit\n\n")).startsWith("Content-Type: command/reply\nReply-Text: +OK bye\n\n"
                + "Content-Type: text/disconnect-notice\nContent-Length: 67\n\n");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
