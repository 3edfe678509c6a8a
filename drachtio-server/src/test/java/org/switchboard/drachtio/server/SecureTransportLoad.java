package org.switchboard.drachtio.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Destination;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.ua.UserAgent;
import org.switchboard.sip.stack.ua.UserAgentConfig;
import org.switchboard.sip.uri.SipUri;

/**
 * The load client of {@code scripts/bench-secure-transports}, because sipp cannot speak TLS or WebSocket: one sip-stack
 * user agent over one transport keeps {@code concurrency} calls going (INVITE, 200, ACK, BYE, 200, then the next
 * call at once) against a server for a warm-up and then a measured period, and prints one row: calls completed per
 * second, failures, setup time (INVITE to 200) percentiles, and the CPU the server-side processes used per call.
 * All calls of a run share the one connection the user agent opens (as a trunk does), so the TLS and WSS figures are
 * the per-message cost of encryption and framing, not of handshakes.
 *
 * <p>Usage: {@code SecureTransportLoad TCP|TLS|WSS host:port cert.pem key.pem seconds warmup-seconds concurrency
 * [server-pid...]}
 */
final class SecureTransportLoad {

    private final UserAgent ua;
    private final SipUri target;
    private final Destination destination;
    private final LongAdder failed = new LongAdder();
    private final List<Long> setupNanos = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean measuring;
    private volatile long stopAt;

    private SecureTransportLoad(UserAgent ua, SipUri target) {
        this.ua = ua;
        this.target = target;
        this.destination = Destination.ofLiteral(target).orElseThrow();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: SecureTransportLoad TCP|TLS|WSS host:port cert.pem key.pem seconds warmup concurrency [pid...]");
            System.exit(64);
        }
        Transport transport = Transport.valueOf(args[0]);
        Path cert = Path.of(args[2]);
        TlsConfig tls = TlsConfig.builder().pem(cert, Path.of(args[3])).trustedCertificates(cert).build();
        String scheme = transport.isSecure() ? "sips" : "sip";
        String parameter = transport == Transport.WSS ? "ws" : transport.name().toLowerCase(java.util.Locale.ROOT);
        SipUri target = SipUri.parse(scheme + ":service@" + args[1] + ";transport=" + parameter);
        Duration seconds = Duration.ofSeconds(Long.parseLong(args[4]));
        Duration warmup = Duration.ofSeconds(Long.parseLong(args[5]));
        int concurrency = Integer.parseInt(args[6]);
        List<Long> pids = new ArrayList<>();
        for (int i = 7; i < args.length; i++) {
            pids.add(Long.parseLong(args[i]));
        }
        try (UserAgent ua = UserAgent.start(UserAgentConfig.builder().stack(new SipStackConfig(
                TransportConfig.builder().listen(transport, "127.0.0.1", 0).tls(tls).build(), TimerConfig.DEFAULTS)).build())) {
            new SecureTransportLoad(ua, target).run(transport, seconds, warmup, concurrency, pids);
        }
    }

    private void run(Transport transport, Duration seconds, Duration warmup, int concurrency, List<Long> pids)
            throws Exception {
        stopAt = System.nanoTime() + warmup.toNanos() + seconds.toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            next(done);
        }
        // the measured window opens when the warm-up ends: what ran before it is forgotten, the CPU counted from it
        CompletableFuture<long[]> window = new CompletableFuture<>();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        clock.schedule(() -> {
            setupNanos.clear();
            failed.reset();
            try {
                window.complete(new long[] {ticks(pids), System.nanoTime()});
            } catch (IOException e) {
                window.completeExceptionally(e);
            }
            measuring = true;
        }, warmup.toMillis(), TimeUnit.MILLISECONDS);
        if (!done.await(warmup.toMillis() + seconds.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
            System.err.println("calls still in progress 30 s after the end");
        }
        clock.shutdown();
        long[] opened = window.get(5, TimeUnit.SECONDS);
        long ticks0 = opened[0];
        long t0 = opened[1];
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double cpu = (ticks(pids) - ticks0) / 100.0; // USER_HZ is 100 on Linux
        List<Long> sorted;
        synchronized (setupNanos) {
            sorted = new ArrayList<>(setupNanos);
        }
        Collections.sort(sorted);
        long calls = sorted.size();
        System.out.printf("%-6s %-7d %-8.1f %-7d %-7s %-7s %-8s %-7.1f %.3f%n", transport, calls, calls / elapsed, failed.sum(),
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999), cpu,
                calls == 0 ? 0 : cpu * 1000 / calls);
    }

    /** One call, and when it has ended the next, until the end of the run. */
    private void next(CountDownLatch done) {
        if (System.nanoTime() - stopAt >= 0) {
            done.countDown();
            return;
        }
        long start = System.nanoTime();
        boolean counted = measuring;
        ua.invite(target, destination, JavaUasApp.SDP)
                .thenCompose(dialog -> {
                    long setup = System.nanoTime() - start;
                    return dialog.bye().thenApply(r -> r.status() == 200 ? setup : -1L);
                })
                .exceptionally(e -> -1L)
                .thenAccept(setup -> {
                    if (counted && setup >= 0) {
                        setupNanos.add(setup);
                    } else if (counted) {
                        failed.increment();
                    }
                    CompletableFuture.runAsync(() -> next(done));
                });
    }

    private static String percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int i = (int) Math.ceil(sorted.size() * p) - 1;
        return String.format("%.1f", sorted.get(Math.max(0, i)) / 1e6);
    }

    private static long ticks(List<Long> pids) throws IOException {
        long sum = 0;
        for (long pid : pids) {
            // /proc/<pid>/stat: utime and stime are fields 14 and 15, after the parenthesised command name
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return sum;
    }
}
