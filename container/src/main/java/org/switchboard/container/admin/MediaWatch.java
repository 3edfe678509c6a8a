package org.switchboard.container.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.mrf.status.ClockReport;
import org.switchboard.mrf.status.Lateness;
import org.switchboard.mrf.status.SwitchStatus;
import org.switchboard.sip.media.MediaServer;

/**
 * The media clocks of the media servers, for the console's lateness chart: {@link #poll()} (once a tick, while a
 * console is open) asks every connected server for its clock report without waiting; each answer, when it comes,
 * makes the lateness over the span since the server's previous answer. A switch without the report (FreeSWITCH) is
 * noted as such. A server asked again before it answered is not asked twice.
 */
final class MediaWatch {

    private static final Logger LOG = LoggerFactory.getLogger(MediaWatch.class);

    /**
     * One server's clock as last read.
     *
     * @param reported whether the switch reports its clock at all
     * @param last its last report, empty before the first or when it has none
     * @param window the lateness between its last two reports, empty when no packet was sent in between (or there
     *        were not two yet)
     */
    record Clock(boolean reported, Optional<ClockReport> last, Optional<Lateness> window) {

        static final Clock NOT_REPORTED = new Clock(false, Optional.empty(), Optional.empty());

        Clock next(ClockReport report) {
            return new Clock(true, Optional.of(report), last.flatMap(report::since));
        }

        Clock unanswered() {
            return new Clock(reported, last, Optional.empty());
        }
    }

    private final Supplier<List<MediaServer>> servers;
    private final Map<String, Clock> clocks = new ConcurrentHashMap<>();
    private final Set<String> asking = ConcurrentHashMap.newKeySet();

    MediaWatch(Supplier<List<MediaServer>> servers) {
        this.servers = servers;
    }

    /** Asks every connected server for its clock report; returns at once. */
    void poll() {
        for (MediaServer server : servers.get()) {
            String address = server.address();
            if (!server.isConnected() || !asking.add(address)) {
                continue;
            }
            SwitchStatus.clock(server).whenComplete((report, error) -> {
                asking.remove(address);
                if (error != null) {
                    LOG.debug("media clock of {} not read: {}", address, error.toString());
                    clocks.computeIfPresent(address, (a, before) -> before.unanswered());
                } else {
                    clocks.compute(address, (a, before) -> report
                            .map(r -> (before == null ? Clock.NOT_REPORTED : before).next(r))
                            .orElse(Clock.NOT_REPORTED));
                }
            });
        }
    }

    /** The clock of the server at {@code address}, empty before its first answer. */
    Optional<Clock> clock(String address) {
        return Optional.ofNullable(clocks.get(address));
    }

    /** The servers that report their clock. */
    long reporting() {
        return clocks.values().stream().filter(Clock::reported).count();
    }

    /** The worst of the servers' last windows, each figure on its own; empty when none sent a packet in its window. */
    Optional<Lateness> worst() {
        return clocks.values().stream().flatMap(c -> c.window().stream()).reduce((a, b) -> new Lateness(
                a.packets() + b.packets(), Math.max(a.p50Millis(), b.p50Millis()), Math.max(a.p99Millis(), b.p99Millis()),
                Math.max(a.maxMillis(), b.maxMillis())));
    }
}
