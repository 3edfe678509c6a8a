package org.switchboard.sip.stack.ua;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;
import org.switchboard.sip.stack.transport.TransportException;

/** {@code ./switchboard uas}: runs the minimal UAS in the foreground until interrupted. */
public final class MinimalUasMain {

    static final int USAGE = 64;
    static final int UNAVAILABLE = 69;

    private MinimalUasMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * The command line as given; returns the exit code: 64 for a bad flag or value (the message names the flag, the
     * value and what was expected), 69 when it cannot listen (the message says why), 0 once stopped.
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        TransportConfig.Builder transport = TransportConfig.builder();
        boolean listens = false;
        long t1 = TimerConfig.DEFAULT_T1.toMillis();
        long ring = 0;
        int threads = TransportConfig.DEFAULT_IO_THREADS;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--udp", "--tcp" -> {
                        InetSocketAddress a = hostPort(arg, value(args, ++i, arg));
                        transport.listen(arg.equals("--udp") ? Transport.UDP : Transport.TCP, a.getHostString(), a.getPort());
                        listens = true;
                    }
                    case "--t1" -> t1 = number(arg, value(args, ++i, arg), 1, "a duration in milliseconds (e.g. 500)");
                    case "--ring" -> ring = number(arg, value(args, ++i, arg), 0, "a duration in milliseconds (e.g. 2000)");
                    case "--io-threads" -> threads = (int) number(arg, value(args, ++i, arg), 1, "a number of threads (e.g. 2)");
                    case "-h", "--help" -> {
                        out.println(String.join("\n",
                                "Usage: ./switchboard uas [--udp host:port]... [--tcp host:port]... [--t1 ms] [--ring ms]",
                                "",
                                "The minimal SIP UAS of sip-stack: answers INVITE with 200 and SDP (after --ring ms of 180 if given),",
                                "retransmits the 2xx until ACK, handles BYE, CANCEL and OPTIONS.",
                                "  --udp host:port   listen on UDP (repeatable; default 127.0.0.1:5060 UDP and TCP)",
                                "  --tcp host:port   listen on TCP (repeatable)",
                                "  --t1 ms           RFC 3261 T1 (default 500); T2 = 8 T1, T4 = 10 T1 when changed",
                                "  --ring ms         ring this long before answering (default 0)",
                                "  --io-threads n    I/O threads (default: one per core)",
                                "Exit codes: 64 bad flag or value, 69 cannot listen."));
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown flag " + arg + " (see --help)");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("uas: " + e.getMessage());
            return USAGE;
        }
        if (!listens) {
            transport.listen(Transport.UDP, TransportConfig.DEFAULT_HOST, TransportConfig.DEFAULT_PORT)
                    .listen(Transport.TCP, TransportConfig.DEFAULT_HOST, TransportConfig.DEFAULT_PORT);
        }
        TimerConfig timers = t1 == TimerConfig.DEFAULT_T1.toMillis() ? TimerConfig.DEFAULTS : TimerConfig.scaled(Duration.ofMillis(t1));
        UserAgent ua;
        try {
            ua = UserAgent.start(UserAgentConfig.builder()
                    .stack(new SipStackConfig(transport.ioThreads(threads).build(), timers))
                    .ringTime(Duration.ofMillis(ring))
                    .build());
        } catch (TransportException e) {
            err.println("uas: " + e.getMessage() + "; --udp and --tcp choose where it listens");
            return UNAVAILABLE;
        }
        out.println("uas: listening on " + ua.stack().transport().listenPoints());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("uas: " + ua.stats().answered() + " calls answered; transport " + ua.stack().transport().stats());
            ua.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static long number(String flag, String value, long min, String what) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(flag + ": '" + value + "' is not " + what + (min > 0 ? ", at least " + min : ""));
    }

    /** {@code host:port}, {@code [v6]:port} or a host alone (port 5060); the host must resolve. */
    static InetSocketAddress hostPort(String flag, String value) {
        String host = value;
        int port = TransportConfig.DEFAULT_PORT;
        int colon = value.lastIndexOf(':');
        boolean bracketed = value.startsWith("[");
        if (colon > 0 && (bracketed ? value.lastIndexOf(']') < colon : value.indexOf(':') == colon)) {
            host = value.substring(0, colon);
            String p = value.substring(colon + 1);
            if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535) {
                throw new IllegalArgumentException(flag + ": '" + value + "' has no port number after the colon (0..65535),"
                        + " expected host:port, e.g. 127.0.0.1:5060");
            }
            port = Integer.parseInt(p);
        }
        host = host.replaceAll("[\\[\\]]", "");
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(flag + ": the host '" + host + "' does not resolve; expected host:port,"
                    + " e.g. 127.0.0.1:5060");
        }
        return new InetSocketAddress(host, port);
    }
}
