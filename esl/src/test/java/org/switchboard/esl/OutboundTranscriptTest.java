package org.switchboard.esl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.switchboard.esl.event.EslEvent;

/** The outbound server against a byte-exact recording of FreeSWITCH connecting to a controller for one call. */
class OutboundTranscriptTest {

    @Test
    void connectMyeventsLingerExecutesAndHangupAsFreeSwitchRecordedThem() throws Exception {
        Recorder listener = new Recorder();
        CompletableFuture<List<String>> outcome = new CompletableFuture<>();
        try (EslOutboundServer server = EslOutboundServer.start(new InetSocketAddress("127.0.0.1", 0),
                EslClientConfig.builder().build(), session -> listener, session -> {
                    try {
                        assertThat(session.myevents().get(5, TimeUnit.SECONDS).text()).isEqualTo("+OK Events Enabled");
                        assertThat(session.linger().get(5, TimeUnit.SECONDS).text()).isEqualTo("+OK will linger");
                        EslEvent answered = session.execute("answer", "").get(5, TimeUnit.SECONDS);
                        EslEvent played = session.execute("playback", "tone_stream://%(500,0,440)").get(5, TimeUnit.SECONDS);
                        EslEvent digits = session.execute("play_and_get_digits",
                                "1 4 1 6000 # tone_stream://%(300,0,600) silence_stream://250 pagd_digits \\d+ 2000").get(5, TimeUnit.SECONDS);
                        session.hangup("", "NORMAL_CLEARING").get(5, TimeUnit.SECONDS);
                        outcome.complete(List.of(session.uuid(), answered.header("Application").orElse(""),
                                played.header("Application-Response").orElse(""), digits.variable("pagd_digits").orElse("")));
                    } catch (Exception | AssertionError e) {
                        outcome.completeExceptionally(e);
                    }
                });
             TranscriptPeer freeswitch = TranscriptPeer.connectingTo("esl-outbound-h-connect-execute-dtmf.jsonl", server.address().getPort())) {
            List<String> result = outcome.get(10, TimeUnit.SECONDS);
            freeswitch.await();
            assertThat(freeswitch.mismatches()).isEmpty();
            assertThat(result.get(0)).isEqualTo("dfaf759f-a8cb-434b-8a20-318a8a6882ca");
            assertThat(result.get(1)).isEqualTo("answer");
            assertThat(result.get(2)).isEqualTo("FILE PLAYED");
            assertThat(result.get(3)).isEqualTo("123");
            assertThat(listener.events.stream().filter(e -> e.eventName().equals("DTMF")).map(e -> e.header("DTMF-Digit").orElse("")))
                    .containsExactly("1", "2", "3", "#");
            assertThat(listener.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
