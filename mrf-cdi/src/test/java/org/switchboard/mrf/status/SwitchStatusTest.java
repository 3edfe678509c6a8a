package org.switchboard.mrf.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaServer;

class SwitchStatusTest {

    /** The shape FreeSWITCH's mod_conference gives (pretty-printed, numbers as numbers), with a recording node. */
    private static final String FREESWITCH_JSON_LIST = """
            [{
            	"conference_name":	"3001-example.com",
            	"member_count":	3,
            	"ghost_count":	0,
            	"rate":	8000,
            	"run_time":	125,
            	"conference_uuid":	"1c7a8c1e-5b1a-4c52-9a0e-0d7b1c2b3a4f",
            	"canvas_count":	0,
            	"locked":	false,
            	"recording":	true,
            	"dynamic":	true,
            	"variables":	{
            		"caller_id_name":	"x"
            	},
            	"members":	[{
            			"type":	"recording_node",
            			"record_path":	"/tmp/3001.wav",
            			"join_time":	100
            		}, {
            			"type":	"caller",
            			"id":	7,
            			"flags":	{
            				"can_hear":	true,
            				"can_see":	true,
            				"can_speak":	false,
            				"hold":	false,
            				"talking":	false,
            				"is_moderator":	true,
            				"end_conference":	true
            			},
            			"uuid":	"a1b2c3d4-0000-4000-8000-000000000007",
            			"caller_id_name":	"Alice",
            			"caller_id_number":	"1000",
            			"join_time":	120,
            			"last_talking":	0,
            			"energy":	100,
            			"volume_in":	0,
            			"volume_out":	0,
            			"output-volume":	0,
            			"input-volume":	0
            		}, {
            			"type":	"caller",
            			"id":	8,
            			"flags":	{
            				"can_hear":	false,
            				"can_speak":	true,
            				"talking":	true,
            				"is_moderator":	false,
            				"end_conference":	false
            			},
            			"uuid":	"a1b2c3d4-0000-4000-8000-000000000008",
            			"caller_id_name":	"Bob",
            			"caller_id_number":	"1001",
            			"join_time":	30,
            			"last_talking":	2
            		}]
            }, {
            	"conference_name":	"empty",
            	"member_count":	0,
            	"run_time":	3,
            	"conference_uuid":	"u2",
            	"locked":	true,
            	"members":	[]
            }]
            """;

    @Test
    void readsFreeSwitchsConferenceListLeavingOutRecordingNodes() {
        List<ConferenceStatus> list = SwitchStatus.parseConferences(FREESWITCH_JSON_LIST);
        assertThat(list).hasSize(2);
        ConferenceStatus c = list.get(0);
        assertThat(c.name()).isEqualTo("3001-example.com");
        assertThat(c.uuid()).isEqualTo("1c7a8c1e-5b1a-4c52-9a0e-0d7b1c2b3a4f");
        assertThat(c.memberCount()).isEqualTo(3);
        assertThat(c.uptime()).isEqualTo(Duration.ofSeconds(125));
        assertThat(c.recording()).isTrue();
        assertThat(c.locked()).isFalse();
        assertThat(c.members()).containsExactly(
                new MemberStatus(7, "a1b2c3d4-0000-4000-8000-000000000007", "Alice", "1000", true, false, false, true,
                        true, Duration.ofSeconds(120)),
                new MemberStatus(8, "a1b2c3d4-0000-4000-8000-000000000008", "Bob", "1001", false, true, true, false,
                        false, Duration.ofSeconds(30)));
        assertThat(c.members().get(0).muted()).isTrue();
        assertThat(c.members().get(0).deaf()).isFalse();
        assertThat(c.members().get(1).muted()).isFalse();
        assertThat(c.members().get(1).deaf()).isTrue();
        assertThat(list.get(1)).isEqualTo(new ConferenceStatus("empty", "u2", 0, Duration.ofSeconds(3), true, false, List.of()));
    }

    @Test
    void noConferencesIsAnEmptyArrayAndAnythingElseIsRefused() {
        assertThat(SwitchStatus.parseConferences("[]")).isEmpty();
        assertThat(SwitchStatus.parseConferences("[]\n")).isEmpty();
        assertThatThrownBy(() -> SwitchStatus.parseConferences("No active conferences.\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No active conferences.");
        assertThatThrownBy(() -> SwitchStatus.parseConferences("[{\"conference_name\": "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("json_list");
    }

    @Test
    void readsTheChannelsWithTheirColumnsAndNoRowsWhenThereAreNone() {
        String json = """
                {"row_count":2,"rows":[
                 {"uuid":"c1","direction":"inbound","created":"2026-12-07 01:02:03","created_epoch":"1796605323",
                  "name":"sofia/internal/1000@10.0.0.1","state":"CS_EXECUTE","cid_name":"Alice","cid_num":"1000",
                  "ip_addr":"10.0.0.1","dest":"3001","application":"conference","read_codec":"PCMA","read_rate":"8000",
                  "write_codec":"PCMA","callstate":"ACTIVE","hostname":"fs1","b_uuid":null},
                 {"uuid":"c2","name":"sofia/internal/x","callstate":"HELD"}]}
                """;
        assertThat(SwitchStatus.parseChannels(json)).containsExactly(
                new ChannelStatus("c1", "sofia/internal/1000@10.0.0.1", "inbound", "CS_EXECUTE", "ACTIVE",
                        Optional.of(Instant.ofEpochSecond(1796605323L)), "1000", "3001", "PCMA"),
                new ChannelStatus("c2", "sofia/internal/x", "", "", "HELD", Optional.empty(), "", "", ""));
        assertThat(SwitchStatus.parseChannels("{\"row_count\":0}\n")).isEmpty();
        assertThatThrownBy(() -> SwitchStatus.parseChannels("-USAGE: show channels [as json]"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theClockOfASwitchWithoutTheReportIsEmptyAndOtherFailuresStayFailures() throws Exception {
        String notFound = "api " + ClockReport.COMMAND + ": -ERR " + ClockReport.COMMAND + " Command not found!";
        assertThat(SwitchStatus.clock(answering(c -> CompletableFuture.failedFuture(new MediaException(notFound))))
                .toCompletableFuture().get(1, TimeUnit.SECONDS)).isEmpty();
        assertThat(SwitchStatus.clock(answering(c -> CompletableFuture.completedFuture(
                "tasks 2\nsend_interval_error_100us 0:10\n"))).toCompletableFuture().get(1, TimeUnit.SECONDS))
                .hasValueSatisfying(r -> assertThat(r.tasks()).isEqualTo(2));
        MediaException.Timeout late = new MediaException.Timeout("api: no answer within 2 s");
        assertThatThrownBy(() -> SwitchStatus.clock(answering(c -> CompletableFuture.failedFuture(late)))
                .toCompletableFuture().get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(late);
    }

    /** A media server whose {@code api} answers as {@code api} says; nothing else is called by what is tested. */
    private static MediaServer answering(Function<String, CompletableFuture<String>> api) {
        return (MediaServer) Proxy.newProxyInstance(MediaServer.class.getClassLoader(), new Class<?>[] {MediaServer.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("api")) {
                        return api.apply((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
