package org.switchboard.sip.stack.ua;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.Transport;
import org.switchboard.sip.stack.transport.TransportConfig;

/** {@code ./switchboard uas}: runs the minimal UAS in the foreground until interrupted. */
public final class MinimalUasMain {

    private MinimalUasMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        TransportConfig.Builder transport = TransportConfig.builder();
        boolean listens = false;
        long t1 = TimerConfig.DEFAULT_T1.toMillis();
        long ring = 0;
        int threads = TransportConfig.DEFAULT_IO_THREADS;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--udp", "--tcp" -> {
                    String[] hostPort = value(args, ++i, arg).split(":(?=[0-9]+$)");
                    transport.listen(arg.equals("--udp") ? Transport.UDP : Transport.TCP, hostPort[0].replaceAll("[\\[\\]]", ""),
                            hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : TransportConfig.DEFAULT_PORT);
                    listens = true;
                }
                case "--t1" -> t1 = Long.parseLong(value(args, ++i, arg));
                case "--ring" -> ring = Long.parseLong(value(args, ++i, arg));
                case "--io-threads" -> threads = Integer.parseInt(value(args, ++i, arg));
                case "-h", "--help" -> {
                    System.out.println(String.join("\n",
                            "Usage: ./switchboard uas [--udp host:port]... [--tcp host:port]... [--t1 ms] [--ring ms]",
                            "",
                            "The minimal SIP UAS of sip-stack: answers INVITE with 200 and SDP (after --ring ms of 180 if given),",
                            "retransmits the 2xx until ACK, handles BYE, CANCEL and OPTIONS.",
                            "  --udp host:port   listen on UDP (repeatable; default 127.0.0.1:5060 UDP and TCP)",
                            "  --tcp host:port   listen on TCP (repeatable)",
                            "  --t1 ms           RFC 3261 T1 (default 500); T2 = 8 T1, T4 = 10 T1 when changed",
                            "  --ring ms         ring this long before answering (default 0)",
                            "  --io-threads n    I/O threads (default: one per core)"));
                    return;
                }
                default -> {
                    System.err.println("uas: unknown flag " + arg + " (see --help)");
                    System.exit(64);
                }
            }
        }
        if (!listens) {
            transport.listen(Transport.UDP, TransportConfig.DEFAULT_HOST, TransportConfig.DEFAULT_PORT)
                    .listen(Transport.TCP, TransportConfig.DEFAULT_HOST, TransportConfig.DEFAULT_PORT);
        }
        TimerConfig timers = t1 == TimerConfig.DEFAULT_T1.toMillis() ? TimerConfig.DEFAULTS : TimerConfig.scaled(Duration.ofMillis(t1));
        UserAgent ua = UserAgent.start(UserAgentConfig.builder()
                .stack(new SipStackConfig(transport.ioThreads(threads).build(), timers))
                .ringTime(Duration.ofMillis(ring))
                .build());
        System.out.println("uas: listening on " + ua.stack().transport().listenPoints());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("uas: " + ua.stats().answered() + " calls answered; transport " + ua.stack().transport().stats());
            ua.close();
            stop.countDown();
        }));
        stop.await();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println("uas: " + flag + " needs a value");
            System.exit(64);
        }
        return args[i];
    }
}
