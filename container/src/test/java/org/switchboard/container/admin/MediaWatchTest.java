package org.switchboard.container.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.switchboard.mrf.status.Lateness;
import org.switchboard.sip.media.MediaException;
import org.switchboard.sip.media.MediaServer;

class MediaWatchTest {

    private static final String NOT_FOUND = "api switchboard_media_clock: -ERR switchboard_media_clock Command not found!";

    @Test
    void eachServersWindowIsTheSpanBetweenItsLastTwoAnswersAndTheChartTakesTheWorst() {
        Switch a = new Switch("a:8021");
        Switch b = new Switch("b:8021");
        Switch freeswitch = new Switch("fs:8021");
        MediaWatch watch = new MediaWatch(() -> List.of(a.server, b.server, freeswitch.server));
        a.answer("tasks 2\nsend_interval_error_100us 0:1000\n");
        b.answer("tasks 1\nsend_interval_error_100us 0:500\n");
        freeswitch.fail(new MediaException(NOT_FOUND));
        watch.poll();
        assertThat(watch.clock("a:8021")).hasValueSatisfying(c -> assertThat(c.window()).as("one answer: no span yet").isEmpty());
        assertThat(watch.clock("fs:8021")).hasValueSatisfying(c -> assertThat(c.reported()).isFalse());
        assertThat(watch.reporting()).isEqualTo(2);
        assertThat(watch.worst()).isEmpty();

        a.answer("tasks 2\nsend_interval_error_100us 0:1099 5:1\n"); // 100 packets, one 0.6 ms late
        b.answer("tasks 1\nsend_interval_error_100us 0:500 1:48 20:2\n"); // 50 packets, two 2.1 ms late
        freeswitch.fail(new MediaException(NOT_FOUND));
        watch.poll();
        assertThat(watch.clock("a:8021").orElseThrow().window()).contains(new Lateness(100, 0.1, 0.1, 0.6));
        assertThat(watch.clock("b:8021").orElseThrow().window()).contains(new Lateness(50, 0.2, 2.1, 2.1));
        assertThat(watch.worst()).contains(new Lateness(150, 0.2, 2.1, 2.1));

        // b stops answering: its span is gone, a's alone is charted; a silent a (no packet) leaves nothing to chart
        a.answer("tasks 2\nsend_interval_error_100us 0:1099 5:1\n");
        b.fail(new MediaException.Timeout("api: no answer within 2 s"));
        freeswitch.fail(new MediaException(NOT_FOUND));
        watch.poll();
        assertThat(watch.clock("b:8021").orElseThrow().reported()).isTrue();
        assertThat(watch.worst()).isEmpty();
    }

    @Test
    void aServerStillAnsweringIsNotAskedAgainNorOneNotConnected() {
        Switch a = new Switch("a:8021");
        Switch down = new Switch("down:8021");
        down.connected = false;
        MediaWatch watch = new MediaWatch(() -> List.of(a.server, down.server));
        CompletableFuture<String> pending = new CompletableFuture<>();
        a.answers.add(pending);
        watch.poll();
        watch.poll();
        assertThat(a.asked).isEqualTo(1);
        assertThat(down.asked).isZero();
        pending.complete("tasks 0\nsend_interval_error_100us\n");
        a.answer("tasks 0\nsend_interval_error_100us\n");
        watch.poll();
        assertThat(a.asked).isEqualTo(2);
        assertThat(watch.clock("down:8021")).isEmpty();
    }

    /** A media server whose api answers the clock command with what the test queued. */
    private static final class Switch {
        final Deque<CompletableFuture<String>> answers = new ArrayDeque<>();
        final MediaServer server;
        boolean connected = true;
        int asked;

        Switch(String address) {
            server = (MediaServer) Proxy.newProxyInstance(MediaServer.class.getClassLoader(),
                    new Class<?>[] {MediaServer.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "address" -> address;
                        case "isConnected" -> connected;
                        case "api" -> {
                            asked++;
                            yield answers.remove();
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        void answer(String text) {
            answers.add(CompletableFuture.completedFuture(text));
        }

        void fail(Exception e) {
            answers.add(CompletableFuture.failedFuture(e));
        }
    }
}
