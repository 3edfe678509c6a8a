package org.switchboard.esl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.event.EslEvent;

/** The client against byte-exact recordings of a real FreeSWITCH 1.11 event socket. */
class EslClientTranscriptTest {

    private static EslClientConfig config(TranscriptPeer peer, String password) {
        return EslClientConfig.builder().port(peer.port()).password(password).reconnect(false).build();
    }

    @Test
    void apiBgapiAndExitAsFreeSwitchAnswersThem() throws Exception {
        try (TranscriptPeer peer = new TranscriptPeer("esl-inbound-a-api.jsonl")) {
            Recorder recorder = new Recorder();
            EslClient client = EslClient.connect(config(peer, "ClueCon"), recorder).get(5, TimeUnit.SECONDS);
            assertThat(client.api("status").get(5, TimeUnit.SECONDS)).startsWith("UP 0 years").contains("is ready");
            assertThat(client.api("sofia status").get(5, TimeUnit.SECONDS)).contains("profile");
            client.api("show channels").get(5, TimeUnit.SECONDS);
            assertThat(client.subscribe(EventFormat.PLAIN, "BACKGROUND_JOB").get(5, TimeUnit.SECONDS).text())
                    .isEqualTo("+OK event listener enabled plain");
            EslEvent job = client.bgapi("status").get(5, TimeUnit.SECONDS);
            assertThat(job.eventName()).isEqualTo("BACKGROUND_JOB");
            assertThat(job.body()).startsWith("UP 0 years");
            assertThat(job.header("Job-Command")).hasValue("status");
            assertThatThrownBy(() -> client.api("nosuchcommand").get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(EslException.CommandFailed.class)
                    .hasMessageContaining("Command not found");
            assertThat(client.command("exit").get(5, TimeUnit.SECONDS).text()).isEqualTo("+OK bye");
            assertThat(recorder.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(peer.mismatches()).isEmpty();
            client.close();
        }
    }

    @Test
    void wrongPasswordFailsTheConnectAndIsNotRetried() throws Exception {
        try (TranscriptPeer peer = new TranscriptPeer("esl-inbound-b-auth-fail.jsonl")) {
            EslClientConfig config = EslClientConfig.builder().port(peer.port()).password("WrongPassword").build();
            assertThatThrownBy(() -> EslClient.connect(config, new Recorder()).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(EslException.AuthenticationFailed.class)
                    .hasMessageNotContaining("WrongPassword");
            assertThat(peer.mismatches()).isEmpty();
            assertThat(peer.received()).hasSize(1);
        }
    }

    @Test
    void filtersNixeventAndNoeventsShapeWhatArrives() throws Exception {
        try (TranscriptPeer peer = new TranscriptPeer("esl-inbound-f-filter-nixevent-noevents.jsonl")) {
            Recorder r = new Recorder();
            EslClient client = EslClient.connect(config(peer, "ClueCon"), r).get(5, TimeUnit.SECONDS);
            client.subscribe(EventFormat.PLAIN, "CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP", "CHANNEL_DESTROY")
                    .get(5, TimeUnit.SECONDS);
            r.awaitEvents(2);
            assertThat(r.names()).containsExactly("CHANNEL_CREATE", "CHANNEL_CREATE");
            String first = "c0c13a7c-0589-41d9-8563-42c5882cb0cd";
            assertThat(client.filter("Unique-ID", first).get(5, TimeUnit.SECONDS).text())
                    .isEqualTo("+OK filter added. [Unique-ID]=[" + first + "]");
            client.api("uuid_answer " + first).get(5, TimeUnit.SECONDS);
            r.awaitEvents(3);
            client.api("uuid_answer c137ad67-d17e-4316-a158-e5dfde9d9523").get(5, TimeUnit.SECONDS);
            client.filterDelete("Unique-ID", first).get(5, TimeUnit.SECONDS);
            client.nixevent("CHANNEL_HANGUP").get(5, TimeUnit.SECONDS);
            r.awaitEvents(5);
            client.noevents().get(5, TimeUnit.SECONDS);
            assertThat(client.api("show channels as delim |").get(5, TimeUnit.SECONDS)).contains("total");
            client.api("uuid_answer c8ed8bab-1335-4e0f-a540-3ff0a6261953").get(5, TimeUnit.SECONDS);
            client.command("exit").get(5, TimeUnit.SECONDS);
            assertThat(r.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
            // only call 1's answer passed the filter; after nixevent only the destroys came
            assertThat(r.names()).containsExactly("CHANNEL_CREATE", "CHANNEL_CREATE", "CHANNEL_ANSWER",
                    "CHANNEL_DESTROY", "CHANNEL_DESTROY");
            assertThat(r.events.get(2).uniqueId()).hasValue(first);
            assertThat(peer.mismatches()).isEmpty();
            client.close();
        }
    }
}
