package org.switchboard.container.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Health reports from checks: status, the JSON naming every part, and the failing ones with why. */
class OperationsTest {

    private final AtomicBoolean drachtioUp = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Operations ops = Operations.of(() -> "# metrics\n", running::get, List.of(
            HealthCheck.of("sip", () -> HealthCheck.Status.up("udp/127.0.0.1:5060")),
            HealthCheck.of("drachtio", () -> drachtioUp.get() ? HealthCheck.Status.up("connected")
                    : HealthCheck.Status.down("not connected to \"127.0.0.1:9022\"; reconnecting"))));

    @Test
    void readyIs200WithEveryPartWhileAllAreUp() {
        HealthReport r = ops.ready();
        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(r.isUp()).isTrue();
        assertThat(r.json()).isEqualTo("{\"status\":\"UP\",\"checks\":{"
                + "\"sip\":{\"status\":\"UP\",\"detail\":\"udp/127.0.0.1:5060\"},"
                + "\"drachtio\":{\"status\":\"UP\",\"detail\":\"connected\"}}}");
    }

    @Test
    void aPartDownMakesIt503NamingThePartAndWhyThenBackTo200() {
        drachtioUp.set(false);
        HealthReport r = ops.ready();
        assertThat(r.httpStatus()).isEqualTo(503);
        assertThat(r.json()).startsWith("{\"status\":\"DOWN\",\"failing\":[\"drachtio\"],")
                .contains("\"drachtio\":{\"status\":\"DOWN\",\"detail\":\"not connected to \\\"127.0.0.1:9022\\\"; reconnecting\"}")
                .contains("\"sip\":{\"status\":\"UP\"");
        drachtioUp.set(true);
        assertThat(ops.ready().httpStatus()).isEqualTo(200);
    }

    @Test
    void aCheckThatThrowsIsAPartDown() {
        Operations broken = Operations.of(() -> "", () -> true, List.of(HealthCheck.of("media 10.0.0.1:8021", () -> {
            throw new IllegalStateException("boom");
        })));
        assertThat(broken.ready().httpStatus()).isEqualTo(503);
        assertThat(broken.ready().json()).contains("\"failing\":[\"media 10.0.0.1:8021\"]", "boom");
    }

    @Test
    void liveIsDownOnlyOnceClosedAndScrapeIsTheRegistrysText() {
        assertThat(ops.live().httpStatus()).isEqualTo(200);
        running.set(false);
        assertThat(ops.live().httpStatus()).isEqualTo(503);
        assertThat(ops.live().json()).contains("\"failing\":[\"container\"]", "closed");
        assertThat(ops.scrape()).isEqualTo("# metrics\n");
    }

    @Test
    void aReportIs200Or503() {
        assertThatThrownBy(() -> new HealthReport(500, "{}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("500");
    }
}
