package org.switchboard.drachtio.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.message.SipRequest;
import org.switchboard.sip.stack.transport.IncomingMessage;

/**
 * Which new requests from the network the server takes at all: the per-source {@link RateLimit} and the
 * {@link SpammerRules}. A check whose mode is {@link RefusalMode#DISCARD} runs in {@link #drops} before the
 * transaction layer (so no 100 Trying goes out and no transaction is kept); one whose mode is
 * {@link RefusalMode#REJECT} runs in {@link #rejection} on the new transaction, which then absorbs the caller's
 * retransmissions. So each check runs once per request.
 *
 * <p>Threads: called on SIP event loops. A source's bucket is guarded by its own monitor; buckets of sources that
 * have been quiet long enough to be full again are removed every {@value #SWEEP_SECONDS} s on the timer thread.
 */
final class Admission implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    private static final long SWEEP_SECONDS = 30;

    /** Why and how a request was refused: the status to answer with ({@code 0} when dropped). */
    record Refusal(String reason, int status) {
    }

    private final SpammerRules spammers;
    private final Optional<RateLimit> limit;
    private final LongSupplier nanos;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweep;

    Admission(SpammerRules spammers, Optional<RateLimit> limit, ScheduledExecutorService timer, LongSupplier nanos) {
        this.spammers = spammers;
        this.limit = limit;
        this.nanos = nanos;
        for (String reason : new String[] {"rate-limit", "spammer"}) {
            for (RefusalMode mode : RefusalMode.values()) {
                refused.put(key(reason, mode), new LongAdder());
            }
        }
        this.sweep = limit.isEmpty() ? null
                : timer.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /** Registers {@code drachtio.requests.refused}, by reason (rate-limit, spammer) and action (reject, discard). */
    void bind(MeterRegistry meters) {
        refused.forEach((key, count) -> {
            String[] parts = key.split("/");
            FunctionCounter.builder("drachtio.requests.refused", count, LongAdder::sum)
                    .description("New requests from the network refused before any app saw them")
                    .tags("reason", parts[0], "action", parts[1]).register(meters);
        });
    }

    /** How many requests were refused for {@code reason} ({@code rate-limit}, {@code spammer}) in {@code mode}. */
    long refused(String reason, RefusalMode mode) {
        return refused.get(key(reason, mode)).sum();
    }

    /** Before any transaction: whether {@code message} is a new request to drop unanswered. */
    boolean drops(IncomingMessage message) {
        if (!(message.message() instanceof SipRequest request)) {
            return false;
        }
        try {
            if (request.isMethod("ACK") || request.isMethod("CANCEL") || request.to().tag().isPresent()) {
                return false;
            }
            return refusal(message, request, RefusalMode.DISCARD).isPresent();
        } catch (IllegalArgumentException e) {
            return false; // a header that does not parse: the transaction layer answers 400
        }
    }

    /** On a new request's transaction: the refusal to answer it with, when a check in reject mode refuses it. */
    Optional<Refusal> rejection(IncomingMessage message, SipRequest request) {
        return refusal(message, request, RefusalMode.REJECT);
    }

    private Optional<Refusal> refusal(IncomingMessage message, SipRequest request, RefusalMode mode) {
        if (limit.isPresent() && limit.get().mode() == mode && !take(message.remote().getAddress(), limit.get())) {
            refused.get(key("rate-limit", mode)).increment();
            return Optional.of(new Refusal("rate-limit", mode == RefusalMode.REJECT ? 503 : 0));
        }
        if (!spammers.isEmpty() && spammers.mode(message.transport()) == mode) {
            Optional<String> spam = spammers.match(request);
            if (spam.isPresent()) {
                refused.get(key("spammer", mode)).increment();
                LOG.debug("{} from {} refused ({}) as a spammer: '{}'", request.method(), message.remote(),
                        mode == RefusalMode.REJECT ? "603" : "discarded", spam.get());
                return Optional.of(new Refusal("spammer", mode == RefusalMode.REJECT ? 603 : 0));
            }
        }
        return Optional.empty();
    }

    /** The seconds a source refused by the rate limit is told to wait (Retry-After): until a request fits again. */
    int retryAfterSeconds() {
        return limit.map(l -> (int) Math.max(1, Math.ceil(1 / l.perSecond()))).orElse(1);
    }

    private boolean take(InetAddress source, RateLimit l) {
        Bucket b = buckets.computeIfAbsent(source, s -> new Bucket(l.burst(), nanos.getAsLong()));
        synchronized (b) {
            long now = nanos.getAsLong();
            b.tokens = Math.min(l.burst(), b.tokens + (now - b.at) / 1e9 * l.perSecond());
            b.at = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                b.refusing = false;
                return true;
            }
            if (!b.refusing) {
                b.refusing = true;
                LOG.info("DRS-008 {} sends new requests faster than {}/s (burst {}); refusing them ({})",
                        source.getHostAddress(), l.perSecond(), l.burst(), l.mode().name().toLowerCase(java.util.Locale.ROOT));
            }
            return false;
        }
    }

    private void sweep() {
        RateLimit l = limit.orElseThrow();
        long now = nanos.getAsLong();
        long fullAfter = (long) (l.burst() / l.perSecond() * 1e9);
        buckets.values().removeIf(b -> {
            synchronized (b) {
                return now - b.at > fullAfter;
            }
        });
    }

    int sources() {
        return buckets.size();
    }

    private static String key(String reason, RefusalMode mode) {
        return reason + "/" + mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }

    private static final class Bucket {
        double tokens;
        long at;
        boolean refusing;

        Bucket(int tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
