package org.switchboard.media.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.switchboard.media.esl.EslUser;
import org.switchboard.metrics.Meters;
import org.switchboard.metrics.ScrapeEndpoint;

/** {@code ./switchboard media-server}: runs the media server in the foreground until interrupted. */
public final class MediaServerMain {

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private MediaServerMain() {
    }

    /** Parses the flags (see {@code --help}), starts the server and runs until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * The command line as given; returns the exit code: 64 for a bad flag or value (the message names the flag, the
     * value and what was expected), 69 when the server cannot start (an address in use: the message says which flag
     * moves it), 0 once stopped.
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        MediaServerConfig.Builder b = MediaServerConfig.builder();
        MediaServerConfig config;
        Map<String, EslUser> users = new LinkedHashMap<>();
        int scrapePort = -1;
        Duration grace = DEFAULT_GRACE;
        PrometheusMeterRegistry meters = null;
        // sofia's profile TLS parameters, gathered here, checked together at the end
        Map<String, String> tls = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--sip" -> b.sip(address(arg, value(args, ++i, arg), 5080));
                    case "--esl" -> b.esl(address(arg, value(args, ++i, arg), 8021));
                    case "--password" -> b.password(value(args, ++i, arg));
                    case "--esl-user" -> {
                        String v = value(args, ++i, arg);
                        int colon = v.indexOf(':');
                        if (colon < 0) {
                            throw new IllegalArgumentException("--esl-user wants user@domain:password");
                        }
                        EslUser user = EslUser.of(v.substring(0, colon), v.substring(colon + 1));
                        users.put(user.id(), user);
                    }
                    case "--esl-user-allow" -> {
                        String[] p = value(args, ++i, arg).strip().split("\\s+");
                        EslUser user = users.get(p[0]);
                        if (user == null) {
                            throw new IllegalArgumentException("--esl-user-allow " + p[0] + ": no such --esl-user before it");
                        }
                        users.put(user.id(), allow(user, java.util.Arrays.copyOfRange(p, 1, p.length)));
                    }
                    case "--esl-acl" -> b.eslAcl(org.switchboard.media.esl.Acl.parse(
                            java.util.List.of(value(args, ++i, arg).split(","))));
                    case "--rtp-address" -> b.rtpAddress(MediaServerConfig.Builder.address(value(args, ++i, arg)));
                    case "--rtp-ports" -> {
                        String[] p = value(args, ++i, arg).split("-");
                        if (p.length != 2) {
                            throw new IllegalArgumentException("--rtp-ports takes first-last, was " + args[i]);
                        }
                        b.rtpPorts(integer(arg, p[0], "a port number"), integer(arg, p[1], "a port number"));
                    }
                    case "--sounds" -> b.sounds(Path.of(value(args, ++i, arg)));
                    case "--recordings" -> b.recordings(Path.of(value(args, ++i, arg)));
                    case "--profile" -> b.profile(value(args, ++i, arg));
                    case "--tls", "--tls-only" -> tls.put(arg, "true");
                    case "--tls-sip-port", "--tls-cert-dir", "--tls-passphrase", "--tls-version", "--tls-verify-policy",
                            "--tls-verify-depth", "--tls-verify-in-subjects" -> tls.put(arg, value(args, ++i, arg));
                    case "--max-sessions" -> b.maxSessions(integer(arg, value(args, ++i, arg), "a number of calls"));
                    case "--codecs" -> b.codecs(value(args, ++i, arg));
                    case "--codec-negotiation" -> b.codecNegotiation(value(args, ++i, arg));
                    case "--rtp-secure-media-inbound" -> b.secureMedia(value(args, ++i, arg));
                    case "--clock-priority" -> b.clockPriority(integer(arg, value(args, ++i, arg), "a priority (0..99)"));
                    case "--clock-threads" -> b.clockThreads(integer(arg, value(args, ++i, arg), "a number of threads (1..10)"));
                    case "--heartbeat" -> b.heartbeat(Duration.ofSeconds(integer(arg, value(args, ++i, arg), "a duration in seconds")));
                    case "--grace" -> grace = Duration.ofSeconds(integer(arg, value(args, ++i, arg), "a duration in seconds"));
                    case "--prometheus-scrape-port" -> scrapePort = integer(arg, value(args, ++i, arg), "a port number");
                    case "-h", "--help" -> {
                        out.println(String.join("\n",
                                "Usage: ./switchboard media-server [flags]",
                                "",
                                "The embedded FreeSWITCH-compatible media server: answers drachtio-fsmrf's SIP calls, plays,",
                                "records, collects DTMF, and is controlled over the event socket (inbound and outbound).",
                                "  --sip host:port         SIP over UDP (default 127.0.0.1:5080)",
                                "  --esl host:port         inbound event socket (default 127.0.0.1:8021)",
                                "  --password secret       event socket password (default ClueCon; required off loopback)",
                                "  --esl-user u@d:secret   a user userauth accepts (repeatable)",
                                "  --esl-user-allow 'u@d events=A,B api=c,d log=false'",
                                "                          limits an --esl-user given before it, as FreeSWITCH's directory",
                                "                          params esl-allowed-events/-api/-log do (default: all of them)",
                                "  --esl-acl cidr[,cidr]   who may connect to the event socket (default: loopback when",
                                "                          it listens on loopback, else anyone with the password)",
                                "  --rtp-address ip        RTP address (default: the SIP host)",
                                "  --rtp-ports first-last  RTP port range (default 16384-32767)",
                                "  --max-sessions n        most calls up at once; more get 503 (default 1000)",
"  --codecs list          codecs offered and accepted, in order (default OPUS,G722,PCMU,PCMA)",
                                "  --codec-negotiation m   generous: the offer's order decides (default); greedy: ours does",
                                "  --rtp-secure-media-inbound p",
                                "                          SRTP for callers: default (when offered), mandatory or forbidden;",
                                "                          a refused offer gets 488 with a Warning",
                                "  --clock-priority n      real-time (SCHED_RR) priority of the media clock, 0: none (default 10;",
                                "                          needs CAP_SYS_NICE or LimitRTPRIO, else it runs normally and logs why)",
                                "  --clock-threads n       threads sending the channels' packets, 1-10 (default: one fewer than the cores, 1 to 4)",
                                "  --sounds dir            folder of relative sound names (default ./sounds)",
                                "  --recordings dir        folder of relative recording names (default ./recordings)",
                                "  --profile name          SIP profile name in sofia status (default drachtio_mrf)",
                                "  --tls                   also listen for SIP over TLS on the --sip host (sofia's tls=true)",
                                "  --tls-sip-port n|auto   its port (default 5061; auto: any free one)",
                                "  --tls-cert-dir dir      folder holding agent.pem: the PKCS#8 key and certificate chain",
                                "  --tls-passphrase p      the key's passphrase, if it is encrypted",
                                "  --tls-version list      tlsv1.2,tlsv1.3 (default both)",
                                "  --tls-only              SIP over TLS only: no UDP listener (sofia's tls-only=true)",
                                "  --tls-verify-policy p   none (default), in, out, all, subjects_in, subjects_out or",
                                "                          subjects_all, joined by |: in refuses TLS clients without a",
                                "                          certificate that chains to tls-cert-dir's cafile.pem",
                                "  --tls-verify-depth n    most intermediate CAs in a checked chain (default 2)",
                                "  --tls-verify-in-subjects 'a|b'",
                                "                          with subjects_in: names a client certificate must hold one of",
                                "  --heartbeat seconds     HEARTBEAT interval (default 20)",
                                "  --grace seconds         on SIGTERM: how long the calls up may go on while new ones get",
                                "                          503, before they are hung up (default 5)",
                                "  --prometheus-scrape-port N",
                                "                          serve Prometheus metrics at http://<--esl host>:N/metrics",
                                "Exit codes: 64 bad flag or value, 69 cannot start (an address in use)."));
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown flag " + arg + " (see --help)");
                }
            }
            users.values().forEach(b::eslUser);
            sipTls(tls).ifPresent(b::sipTls);
            if (scrapePort >= 0) {
                meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                Meters.bindJvm(meters); // for the life of the process
                b.meterRegistry(meters);
            }
            config = b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("media-server: " + e.getMessage());
            return 64;
        }
        MediaServer server;
        try {
            server = MediaServer.start(config);
        } catch (RuntimeException e) {
            Throwable why = e.getCause() != null && e.getMessage() != null && !e.getMessage().contains(": ") ? e.getCause() : null;
            err.println("media-server: " + e.getMessage() + (why == null ? "" : ": " + describe(why))
                    + "; --sip and --esl choose where it listens");
            return 69;
        }
        out.println("media server: SIP " + server.sipAddress() + ", event socket " + server.eslAddress());
        if (meters != null) {
            ScrapeEndpoint scrape = ScrapeEndpoint.start(new InetSocketAddress(config.esl().getAddress(), scrapePort),
                    meters::scrape);
            out.println("media server: metrics at http://" + scrape.address().getAddress().getHostAddress() + ":"
                    + scrape.address().getPort() + "/metrics");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Duration drain = grace;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // calls up get the grace to end; new ones are refused meanwhile
            server.shutdownGracefully(drain).join();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }

    private static String describe(Throwable t) {
        if (t instanceof java.net.BindException && String.valueOf(t.getMessage()).contains("in use")) {
            return "the address is in use (another process listens there)";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** The TLS listener the {@code --tls*} flags describe; {@code --tls} turns it on, the others need it. */
    private static java.util.Optional<SipTls> sipTls(Map<String, String> flags) {
        if (!flags.containsKey("--tls")) {
            flags.keySet().stream().findFirst().ifPresent(f -> {
                throw new IllegalArgumentException(f + " needs --tls (which turns the TLS listener on)");
            });
            return java.util.Optional.empty();
        }
        String dir = flags.get("--tls-cert-dir");
        if (dir == null) {
            throw new IllegalArgumentException("--tls needs --tls-cert-dir (a folder holding agent.pem)");
        }
        String port = flags.getOrDefault("--tls-sip-port", Integer.toString(SipTls.DEFAULT_PORT));
        SipTls tls = new SipTls(port.equalsIgnoreCase("auto") ? 0 : integer("--tls-sip-port", port,
                "a port number or auto"), Path.of(dir), java.util.Optional.ofNullable(flags.get("--tls-passphrase")),
                flags.containsKey("--tls-version") ? SipTls.parseVersions(flags.get("--tls-version"))
                        : SipTls.DEFAULT_VERSIONS);
        return java.util.Optional.of(tls.withTlsOnly(flags.containsKey("--tls-only")).withVerification(
                TlsVerifyPolicy.parse(flags.getOrDefault("--tls-verify-policy", "none")),
                integer("--tls-verify-depth", flags.getOrDefault("--tls-verify-depth",
                        Integer.toString(SipTls.DEFAULT_VERIFY_DEPTH)), "a number of CA certificates"),
                SipTls.parseSubjects(flags.getOrDefault("--tls-verify-in-subjects", ""))));
    }

    private static int integer(String flag, String value, String what) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + value + "' is not " + what + " (a whole number)");
        }
    }

    /** Applies {@code events=A,B}, {@code api=c,d} and {@code log=true|false} to a user. */
    private static EslUser allow(EslUser user, String[] limits) {
        for (String limit : limits) {
            int eq = limit.indexOf('=');
            String key = eq < 0 ? limit : limit.substring(0, eq);
            String value = eq < 0 ? "" : limit.substring(eq + 1);
            user = switch (key) {
                case "events" -> user.withAllowedEvents(EslUser.list(value));
                case "api" -> user.withAllowedApi(EslUser.list(value));
                case "log" -> user.withAllowedLog(Boolean.parseBoolean(value));
                default -> throw new IllegalArgumentException("--esl-user-allow takes events=, api= and log=, not " + limit);
            };
        }
        return user;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static InetSocketAddress address(String flag, String text, int defaultPort) {
        int colon = text.lastIndexOf(':');
        if (colon > 0 && text.indexOf(':') == colon && !text.substring(colon + 1).matches("[0-9]+")) {
            throw new IllegalArgumentException(flag + ": '" + text + "' has no port number after the colon; expected host:port,"
                    + " e.g. 127.0.0.1:" + defaultPort);
        }
        String[] hostPort = text.split(":(?=[0-9]+$)");
        int port = hostPort.length > 1 ? integer(flag, hostPort[1], "a port number") : defaultPort;
        String host = hostPort[0].replaceAll("[\\[\\]]", "");
        try {
            return new InetSocketAddress(MediaServerConfig.Builder.address(host), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": '" + text + "': the host '" + host + "' does not resolve; expected host:port,"
                    + " e.g. 127.0.0.1:" + defaultPort);
        }
    }
}
