package org.switchboard.esl;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.switchboard.esl.event.EslEvent;
import org.switchboard.executors.SerialExecutor;

/**
 * How a session's events and log lines reach its listener off the I/O thread: one lane per channel (Unique-ID, ended
 * after CHANNEL_DESTROY) and one for events of no channel, each in read order; a bounded count of events handed over
 * and not yet delivered, past which reading pauses or events are dropped ({@link SlowConsumerPolicy}). The events of
 * the current read are collected on the connection's I/O thread only; the lanes run on the session's callback
 * executor and count their events back down.
 */
final class EventDispatch {

    private final EslListener listener;
    private final ExecutorService executor;
    private final int eventQueue;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final long lingerNanos;
    // log lines in arrival order, on a lane of their own
    private final SerialExecutor logLane;
    // one lane per Unique-ID (removed after CHANNEL_DESTROY), one for events of no channel
    private final Map<String, EventLane<Batch>> channelLanes = new ConcurrentHashMap<>();
    private final AtomicBoolean lingering = new AtomicBoolean();
    private final EventLane<Batch> globalEvents;
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final LongAdder droppedEvents = new LongAdder();
    // the events of the current read, handed to their lanes when the read is complete (I/O thread only)
    private List<Delivery> batch = new ArrayList<>();

    private record Delivery(EslEvent event, String uuid, boolean lastOfChannel) {
    }

    /** The events of one read for one lane. */
    private record Batch(ChannelHandlerContext ctx, String uuid, List<Delivery> deliveries) {
    }

    /** @param lingerNanos how long a drained lane waits for the next batch (see {@link EventLane}; 0: not at all) */
    EventDispatch(EslListener listener, ExecutorService executor, int eventQueue, SlowConsumerPolicy slowConsumerPolicy,
                  long lingerNanos) {
        this.listener = listener;
        this.lingerNanos = lingerNanos;
        this.executor = executor;
        this.eventQueue = eventQueue;
        this.slowConsumerPolicy = slowConsumerPolicy;
        this.logLane = new SerialExecutor(executor);
        this.globalEvents = newLane("");
    }

    /** Events handed to lanes whose listeners have not finished with them yet. */
    int queuedEvents() {
        return queuedEvents.get();
    }

    /** Events dropped because listeners fell behind ({@link SlowConsumerPolicy#DROP}). */
    long droppedEvents() {
        return droppedEvents.sum();
    }

    /** Hands a log line to the listener, after the ones read before it. */
    void log(EslLogLine line) {
        logLane.execute(() -> listener.onLog(line));
    }

    /**
     * Adds an event of the current read (I/O thread), unless listeners are that far behind: then the event is dropped or
     * reading pauses, as the policy says.
     */
    void add(ChannelHandlerContext ctx, EslEvent event, String uuid, boolean lastOfChannel) {
        if (queuedEvents.get() + batch.size() >= eventQueue) {
            if (slowConsumerPolicy == SlowConsumerPolicy.DROP) {
                droppedEvents.increment();
                return;
            }
            ctx.channel().config().setAutoRead(false);
        }
        batch.add(new Delivery(event, uuid, lastOfChannel));
    }

    /**
     * Hands the events of one read to their lanes (I/O thread): one batch per lane and read rather than one task per
     * event, so a burst costs a few hand-overs. Each lane gets its events in the order they were read.
     */
    void flush(ChannelHandlerContext ctx) {
        List<Delivery> out = batch;
        int n = out.size();
        if (n == 0) {
            return;
        }
        batch = new ArrayList<>();
        queuedEvents.addAndGet(n);
        Delivery first = out.get(0);
        boolean oneLane = true;
        for (int i = 1; i < n && oneLane; i++) {
            oneLane = out.get(i).uuid.equals(first.uuid);
        }
        if (oneLane) {
            submit(ctx, first.uuid, out);
        } else {
            Map<String, List<Delivery>> lanes = new LinkedHashMap<>();
            for (Delivery d : out) {
                lanes.computeIfAbsent(d.uuid, u -> new ArrayList<>()).add(d);
            }
            lanes.forEach((uuid, deliveries) -> submit(ctx, uuid, deliveries));
        }
    }

    private void submit(ChannelHandlerContext ctx, String uuid, List<Delivery> deliveries) {
        EventLane<Batch> lane = uuid.isEmpty() ? globalEvents : channelLanes.computeIfAbsent(uuid, this::newLane);
        lane.offer(new Batch(ctx, uuid, deliveries));
    }

    private EventLane<Batch> newLane(String uuid) {
        return new EventLane<>(new SerialExecutor(executor), this::deliver, lingering, lingerNanos);
    }

    /** Runs on the lane: the listener sees each event of the batch in order. */
    private void deliver(Batch batch) {
        List<Delivery> deliveries = batch.deliveries();
        try {
            for (Delivery d : deliveries) {
                try {
                    listener.onEvent(d.event);
                } catch (RuntimeException e) {
                    EslSession.LOG.warn("ESL listener failed on {}", d.event, e);
                } finally {
                    if (d.lastOfChannel) {
                        channelLanes.remove(batch.uuid());
                    }
                }
            }
        } finally {
            // counted down once a batch (not once an event), as the I/O thread counts them up once a read
            Channel ch = batch.ctx().channel();
            if (queuedEvents.addAndGet(-deliveries.size()) < eventQueue / 2 && !ch.config().isAutoRead()) {
                ch.config().setAutoRead(true);
            }
        }
    }
}
