package org.switchboard.mrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.switchboard.mrf.TestSwitch.await;
import static org.switchboard.mrf.TestSwitch.failureWithin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.media.Conference;
import org.switchboard.sip.media.ConferenceEvent;
import org.switchboard.sip.media.ConferenceMember;
import org.switchboard.sip.media.Endpoint;
import org.switchboard.sip.media.EndpointOptions;
import org.switchboard.sip.media.JoinOptions;
import org.switchboard.sip.media.MediaException;
import org.switchboard.testing.poll.Poll;

/** Conferences on the embedded media server, held by a control leg as drachtio-fsmrf holds them. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConferenceIT {

    @TempDir
    static Path folder;
    static TestSwitch ts;
    final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ts = TestSwitch.start(folder);
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @AfterEach
    void destroyEndpoints() throws Exception {
        for (Endpoint e : endpoints) {
            e.destroy().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    Endpoint endpoint() throws Exception {
        Endpoint e = ts.media.createEndpoint(EndpointOptions.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
        endpoints.add(e);
        return e;
    }

    static String newName() {
        return "room-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void membersJoinArePlayedToMutedAndKicked() throws Exception {
        String name = newName();
        Conference conf = await(ts.media.createConference(name, JoinOptions.NONE));
        List<ConferenceEvent> events = new CopyOnWriteArrayList<>();
        conf.onEvent(events::add);
        assertThatThrownBy(() -> await(ts.media.createConference(name, JoinOptions.NONE)))
                .cause().isInstanceOf(MediaException.class).hasMessageContaining("exists");
        Endpoint a = endpoint();
        Endpoint b = endpoint();

        ConferenceMember ma = await(a.join(conf, JoinOptions.NONE));
        ConferenceMember mb = await(b.join(conf, JoinOptions.flags("moderator")));

        assertThat(ma.conferenceUuid()).isEqualTo(conf.uuid());
        assertThat(ma.channelUuid()).isEqualTo(a.uuid());
        assertThat(Poll.until(Duration.ofSeconds(5), () -> conf.members().size() == 2)).isTrue();
        assertThat(conf.members()).extracting(ConferenceMember::channelUuid).containsExactlyInAnyOrder(a.uuid(), b.uuid());
        assertThat(await(conf.size())).isEqualTo(3);
        await(conf.mute(ma.memberId()));
        await(conf.unmute(ma.memberId()));
        await(conf.deaf(mb.memberId()));
        await(conf.undeaf(mb.memberId()));
        assertThat(failureWithin(conf.mute(999), 5000)).isInstanceOf(MediaException.class);

        long start = System.nanoTime();
        await(conf.play("prompt.wav"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(900);
        await(conf.play("silence_stream://200", mb.memberId()));
        assertThat(failureWithin(conf.play("missing.wav"), 5000)).isInstanceOf(MediaException.class);

        await(conf.kick(mb.memberId()));
        assertThat(Poll.until(Duration.ofSeconds(5), () -> conf.members().size() == 1)).isTrue();
        // listeners run on the control leg's lane, after the member list changed
        assertThat(Poll.until(Duration.ofSeconds(5), () -> events.stream().anyMatch(e -> e.action().equals("del-member")
                && e.memberId().equals(java.util.OptionalInt.of(mb.memberId())) && e.channelUuid().equals(java.util.Optional.of(b.uuid())))))
                .isTrue();
        assertThat(events).extracting(ConferenceEvent::action).contains("add-member", "mute-member", "play-file-done");
        // a kicked member's channel is parked again and takes commands
        assertThat(await(b.play("silence_stream://100")).milliseconds()).isGreaterThanOrEqualTo(80L);

        await(conf.destroy());
        // endconf: the control leg's hangup ends the conference and sends the members back to park
        assertThat(await(a.play("silence_stream://100")).milliseconds()).isGreaterThanOrEqualTo(80L);
        assertThat(failureWithin(ts.media.api("conference " + name + " list count"), 5000))
                .hasMessageContaining("not found");
    }

    @Test
    void listsLimitsMutesAllPlaysAListTransfersAndHangsUpMembers() throws Exception {
        Conference conf = await(ts.media.createConference(newName(), JoinOptions.NONE));
        List<ConferenceEvent> events = new CopyOnWriteArrayList<>();
        conf.onEvent(events::add);
        Endpoint a = endpoint();
        Endpoint b = endpoint();
        ConferenceMember ma = await(a.join(conf, JoinOptions.NONE));
        ConferenceMember mb = await(b.join(conf, JoinOptions.NONE));

        assertThat(await(conf.listMembers())).containsExactly(ma, mb);
        ts.uac.peers.get(a.callId()).tone = true;
        assertThat(Poll.until(Duration.ofSeconds(5), () -> events.stream().anyMatch(e ->
                e.action().equals("start-talking") && e.memberId().equals(java.util.OptionalInt.of(ma.memberId())))))
                .isTrue();

        await(conf.maxMembers(3));
        assertThat(await(conf.get("max_members"))).isEqualTo("3");
        Endpoint c = endpoint();
        assertThat(failureWithin(c.join(conf, JoinOptions.NONE), 5000)).isExactlyInstanceOf(MediaException.class)
                .hasMessageContaining("refused");
        await(conf.maxMembers(0));
        assertThat(failureWithin(conf.get("no_such_parameter"), 5000)).isInstanceOf(MediaException.class);

        await(conf.muteAll());
        assertThat(Poll.until(Duration.ofSeconds(5), () -> events.stream().filter(e -> e.action().equals("mute-member"))
                .map(ConferenceEvent::memberId).collect(java.util.stream.Collectors.toSet())
                .containsAll(List.of(java.util.OptionalInt.of(ma.memberId()), java.util.OptionalInt.of(mb.memberId())))))
                .isTrue();
        await(conf.unmuteAll());
        await(conf.deafAll());
        await(conf.undeafAll());
        // the events come on the event socket after the commands' replies
        Poll.await(Duration.ofSeconds(5), "unmute, deaf and undeaf events", () -> events.stream().map(ConferenceEvent::action)
                .collect(java.util.stream.Collectors.toSet()).containsAll(List.of("unmute-member", "deaf-member", "undeaf-member")));

        long start = System.nanoTime();
        await(conf.play(List.of("silence_stream://300", "prompt.wav")));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1200);

        String other = newName();
        await(conf.transfer(mb.memberId(), other));
        assertThat(Poll.until(Duration.ofSeconds(5), () -> conf.members().equals(List.of(ma)))).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(5), () -> ts.media.api("conference " + other + " list count")
                .toCompletableFuture().handle((n, e) -> "1".equals(n == null ? null : n.strip())).join())).isTrue();

        await(conf.hangup(ma.memberId()));
        assertThat(a.destroyed().toCompletableFuture().get(5, TimeUnit.SECONDS)).isNotBlank();
        assertThat(await(conf.listMembers())).isEmpty();
        await(conf.destroy());
    }

    @Test
    void aLockedConferenceRefusesMembersAndRecordsItsMix() throws Exception {
        Conference conf = await(ts.media.createConference(newName(), JoinOptions.NONE));
        Endpoint a = endpoint();
        ts.uac.peers.get(a.callId()).tone = true;
        await(a.join(conf, JoinOptions.NONE));
        Path file = folder.resolve("conference-" + conf.uuid() + ".wav");

        await(conf.startRecording(file.toString()));
        await(conf.pauseRecording(file.toString()));
        await(conf.resumeRecording(file.toString()));
        // a play that ends after 200 ms of the mix: the recording has frames however fast the rest goes
        await(conf.play(List.of("silence_stream://200")));
        await(conf.lock());
        Endpoint b = endpoint();
        assertThat(failureWithin(b.join(conf, JoinOptions.NONE), 5000)).isExactlyInstanceOf(MediaException.class)
                .hasMessageContaining("refused");
        await(conf.unlock());
        await(b.join(conf, JoinOptions.NONE));
        await(conf.stopRecording(file.toString()));

        assertThat(Files.size(file)).isGreaterThan(44);
        await(conf.destroy());
    }
}
