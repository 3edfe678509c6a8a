package org.switchboard.container.admin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.executors.DeadlineScheduler;

/**
 * The console's live updates, as server-sent events: once a {@link #TICK} every open console gets one {@code stats}
 * event with the counters (calls in progress, INVITEs, failures, ladder entries, a fingerprint of the deployments, the
 * media clocks' lateness), made once for all of them; the media clocks are read only while a console is open. Between
 * ticks, a {@code change} event (no data) goes out at most once a {@link #NUDGE} when calls' messages came in (a call
 * began, ended or moved), so an open page shows it within a fraction of a second rather than up to a tick later. The
 * console fetches what changed (the page of calls it shows, the ladder it has open), so the cost does not grow with
 * the messages, and a console whose connection is slow skips events instead of queueing them.
 */
final class LiveEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration NUDGE = Duration.ofMillis(200);
    private static final ByteBuffer CHANGE =
            ByteBuffer.wrap("event: change\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII));

    private final AdminSources sources;
    private final MediaWatch clocks;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = DeadlineScheduler.create("admin-events");
    private long entries = -1; // the ladder entries when the last event went out; read and set on the scheduler only

    /** One open stream: its response, the callback that ends it, and whether a write is still on its way. */
    private record Client(Response response, Callback done, AtomicBoolean writing) {
    }

    LiveEvents(AdminSources sources, MediaWatch clocks) {
        this.sources = sources;
        this.clocks = clocks;
        scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::nudge, NUDGE.toMillis(), NUDGE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps {@code response} open as an event stream until the client goes away or the listener stops. */
    boolean stream(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Client c = new Client(response, callback, new AtomicBoolean());
        clients.add(c);
        send(c, event()); // at once: the console need not wait a tick for its first numbers
        return true;
    }

    private void tick() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            clocks.poll(); // answers come in the background: this tick carries the spans last answered
            entries = sources.sip().captures().totals().entries();
            ByteBuffer event = event();
            clients.forEach(c -> send(c, event.duplicate()));
        } catch (RuntimeException e) {
            LOG.warn("SBC-021 console update failed", e);
        }
    }

    private void nudge() {
        if (clients.isEmpty()) {
            return;
        }
        long now = sources.sip().captures().totals().entries();
        if (now != entries) {
            entries = now;
            clients.forEach(c -> send(c, CHANGE.duplicate()));
        }
    }

    private ByteBuffer event() {
        String data = ApiRoutes.json(g -> ApiRoutes.stats(g, sources, clocks));
        return ByteBuffer.wrap(("event: stats\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private void send(Client c, ByteBuffer event) {
        if (!c.writing.compareAndSet(false, true)) {
            return; // the last one is still on its way: this one is skipped, the next carries newer numbers
        }
        c.response.write(false, event, Callback.from(() -> c.writing.set(false), failure -> end(c, failure)));
    }

    private void end(Client c, Throwable failure) {
        if (clients.remove(c)) {
            c.done.failed(failure); // the client went away: the exchange ends
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        clients.forEach(c -> {
            if (clients.remove(c)) {
                c.done.succeeded();
            }
        });
    }
}
