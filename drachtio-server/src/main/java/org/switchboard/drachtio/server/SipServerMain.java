package org.switchboard.drachtio.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.switchboard.sip.stack.SipStackConfig;
import org.switchboard.sip.stack.transaction.TimerConfig;
import org.switchboard.sip.stack.transport.ListenPoint;
import org.switchboard.sip.stack.transport.TlsConfig;
import org.switchboard.sip.stack.transport.TransportConfig;

/**
 * {@code ./switchboard sip-server}: the embedded drachtio server in the foreground, taking drachtio-server's own
 * flags for the common subset so it can stand in for it. Exit status 64 for bad flags, 1 when it cannot bind.
 */
public final class SipServerMain {

    // how long SIGTERM lets the calls up finish before the rest are ended
    private static final java.time.Duration SHUTDOWN_DRAIN = java.time.Duration.ofSeconds(30);

    private static final Map<String, String> LOG_LEVELS = Map.of("debug", "DEBUG", "info", "INFO", "notice", "INFO",
            "warning", "WARN", "error", "ERROR");

    private SipServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (String arg : args) {
            if (arg.equals("-v") || arg.equals("--version")) {
                System.out.println(DrachtioServerConfig.VERSION);
                return;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println(help());
                return;
            }
        }
        DrachtioServerConfig config;
        try {
            config = configure(args, System.getenv());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        DrachtioServer server;
        try {
            server = DrachtioServer.start(config);
        } catch (org.switchboard.sip.stack.transport.TransportException e) {
            System.err.println("sip-server: " + e.getMessage() + "; --contact sets where SIP listens");
            System.exit(69);
            return;
        } catch (RuntimeException e) {
            System.err.println("sip-server: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("sip-server: apps connect to " + appPorts(server) + "; SIP on " + server.sipListenPoints());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM: new INVITEs get 503 while the calls up finish, for at most the drain time
            org.switchboard.lifecycle.Lifecycle.stop(SHUTDOWN_DRAIN, List.of(server),
                    waiting -> System.out.println("sip-server: draining: " + waiting));
            stop.countDown();
        }));
        stop.await();
    }

    /**
     * The server configuration that drachtio-server's flags, environment variables and XML file ({@code --file}) ask
     * for, with drachtio-server's precedence: the command line, then the environment, then the file.
     *
     * @throws IllegalArgumentException naming the flag, variable or file entry that is wrong
     */
    static DrachtioServerConfig configure(String[] args, Map<String, String> env) {
        ConfigFile file = ConfigFile.NONE;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-f") || args[i].equals("--file")) {
                file = ConfigFile.read(java.nio.file.Path.of(value(args, i + 1, args[i])));
            }
        }
        List<String> contacts = new ArrayList<>();
        String address = file.adminAddress().orElse("127.0.0.1");
        Integer port = file.adminPort().isPresent() ? file.adminPort().getAsInt() : null;
        Integer tlsPort = file.adminTlsPort().isPresent() ? file.adminTlsPort().getAsInt() : null;
        String secret = Optional.ofNullable(env.get("DRACHTIO_SECRET")).orElse(file.secret().orElse(null));
        String externalIp = null;
        int mtu = file.mtu().orElse(TransportConfig.DEFAULT_MTU);
        long t1 = TimerConfig.DEFAULT_T1.toMillis();
        boolean cdrs = false;
        String httpHandler = null;
        String httpMethod = "GET";
        int metricsPort = -1;
        boolean alwaysSend180 = false;
        Double rate = null;
        Integer burst = null;
        RefusalMode overRate = RefusalMode.REJECT;
        TlsFlags tls = new TlsFlags();
        file.keyFile().ifPresent(tls::keyFile);
        file.certFile().ifPresent(tls::certFile);
        file.chainFile().ifPresent(tls::chainFile);
        file.minTlsVersion().ifPresent(tls::minTlsVersion);
        if (env.containsKey("DRACHTIO_ADMIN_TLS_PORT")) {
            tlsPort = number(env.get("DRACHTIO_ADMIN_TLS_PORT"), "DRACHTIO_ADMIN_TLS_PORT");
        }
        Optional.ofNullable(env.get("DRACHTIO_TLS_KEY_FILE")).ifPresent(tls::keyFile);
        Optional.ofNullable(env.get("DRACHTIO_TLS_CERT_FILE")).ifPresent(tls::certFile);
        Optional.ofNullable(env.get("DRACHTIO_TLS_CHAIN_FILE")).ifPresent(tls::chainFile);
        Optional.ofNullable(env.get("DRACHTIO_TLS_CIPHER_LIST")).ifPresent(tls::cipherList);
        Optional.ofNullable(env.get("DRACHTIO_MIN_TLS_VERSION")).ifPresent(tls::minTlsVersion);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-f", "--file" -> i++; // read above
                case "--contact" -> contacts.add(value(args, ++i, arg));
                case "--address" -> address = value(args, ++i, arg);
                case "--port" -> port = number(value(args, ++i, arg), arg);
                case "--tls-port" -> tlsPort = number(value(args, ++i, arg), arg);
                case "--secret" -> secret = value(args, ++i, arg);
                case "--external-ip" -> externalIp = value(args, ++i, arg);
                case "--mtu" -> mtu = number(value(args, ++i, arg), arg);
                case "--loglevel" -> {
                    String level = LOG_LEVELS.get(value(args, ++i, arg).toLowerCase(Locale.ROOT));
                    if (level == null) {
                        throw new IllegalArgumentException("--loglevel takes one of " + LOG_LEVELS.keySet());
                    }
                    System.setProperty("SWITCHBOARD_LOG_LEVEL", level);
                }
                case "--stdout", "--noconfig" -> {
                    // logs always go to the console; a configuration file is read only when --file names one
                }
                case "--prometheus-scrape-port" -> metricsPort = number(value(args, ++i, arg), arg);
                case "--http-handler" -> httpHandler = value(args, ++i, arg);
                case "--http-method" -> httpMethod = value(args, ++i, arg);
                case "--t1" -> t1 = number(value(args, ++i, arg), arg);
                case "--cdrs" -> cdrs = true;
                case "--key-file" -> tls.keyFile(value(args, ++i, arg));
                case "--cert-file" -> tls.certFile(value(args, ++i, arg));
                case "--chain-file" -> tls.chainFile(value(args, ++i, arg));
                case "--tls-cipherlist" -> tls.cipherList(value(args, ++i, arg));
                case "--min-tls-version" -> tls.minTlsVersion(value(args, ++i, arg));
                case "--tls-verify-client" -> tls.verifyClient(value(args, ++i, arg));
                case "--tls-ca-file" -> tls.caFile(value(args, ++i, arg));
                case "--dh-param" -> value(args, ++i, arg); // the JDK negotiates its own groups: see TlsFlags
                // sofia-sip's own trace level (0-9): the SIP stack here logs through --loglevel alone
                case "--sofia-loglevel" -> number(value(args, ++i, arg), arg);
                case "--always-send-180" -> alwaysSend180 = true;
                case "--rate-limit" -> rate = decimal(value(args, ++i, arg), arg);
                case "--rate-limit-burst" -> burst = number(value(args, ++i, arg), arg);
                case "--rate-limit-action" -> overRate = RefusalMode.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown flag " + arg + " (see --help)");
            }
        }
        if (contacts.isEmpty()) {
            contacts.addAll(file.contacts());
        }
        DrachtioServerConfig.Builder config = DrachtioServerConfig.builder()
                .adminAddress(new InetSocketAddress(address, port == null ? DrachtioServerConfig.DEFAULT_ADMIN_PORT : port))
                .sip(new SipStackConfig(transports(contacts, mtu, tls.toConfig()), t1 == TimerConfig.DEFAULT_T1.toMillis()
                        ? TimerConfig.DEFAULTS : TimerConfig.scaled(Duration.ofMillis(t1))))
                .cdrs(cdrs);
        if (tlsPort != null) {
            // as drachtio-server: a TLS port alone (or with port 0) means apps connect over TLS only
            config.adminTlsPort(tlsPort).plainAdmin(port != null && port != 0);
        }
        file.outboundProxy().ifPresent(config::outboundProxy);
        config.rejectRegisterWithNoRealm(file.rejectRegisterWithNoRealm());
        config.spammers(file.spammers());
        if (rate != null) {
            config.rateLimit(new RateLimit(rate, burst != null ? burst : Math.max(1, (int) Math.ceil(rate)), overRate));
        }
        // drachtio-server's environment variables, for what the flags leave unset
        if (secret != null) {
            config.secret(secret);
        }
        if (httpHandler == null) {
            httpHandler = env.get("DRACHTIO_HTTP_HANDLER_URI");
        }
        if (env.containsKey("DRACHTIO_LOCAL_DOMAIN")) {
            config.localDomain(env.get("DRACHTIO_LOCAL_DOMAIN"));
        }
        if (env.containsKey("DRACHTIO_PRESERVE_HEADER_NAMES")) {
            config.preservedHeaderNames(java.util.Set.of(env.get("DRACHTIO_PRESERVE_HEADER_NAMES").split(",")));
        }
        config.alwaysSend180(alwaysSend180);
        if (externalIp != null) {
            config.externalIp(externalIp);
        }
        if (metricsPort >= 0) {
            config.metricsPort(metricsPort);
        }
        if (httpHandler != null) {
            config.requestHandler(new RequestHandler("*", httpHandler, httpMethod));
        }
        return config.build();
    }

    private static String appPorts(DrachtioServer server) {
        String tls = server.adminTlsAddress().map(a -> "TLS " + a).orElse("");
        try {
            return server.adminAddress() + (tls.isEmpty() ? "" : " and " + tls);
        } catch (IllegalStateException tlsOnly) {
            return tls;
        }
    }

    /** drachtio contacts: {@code sip:host[:port][;transport=udp,tcp]}; no transport means both. */
    public static TransportConfig transports(List<String> contacts, int mtu) {
        return transports(contacts, mtu, Optional.empty());
    }

    /**
     * drachtio contacts ({@link ListenPoint#parseContact}: {@code sip:host[:port][;transport=udp,tcp,tls,ws,wss]},
     * {@code sips:} for the secure ones) with the TLS settings that TLS and WSS listen points need.
     */
    public static TransportConfig transports(List<String> contacts, int mtu, Optional<TlsConfig> tls) {
        TransportConfig.Builder b = TransportConfig.builder().mtu(mtu);
        tls.ifPresent(b::tls);
        return transports(contacts, b);
    }

    /** drachtio contacts added to {@code b}, which holds the other transport settings. */
    public static TransportConfig transports(List<String> contacts, TransportConfig.Builder b) {
        for (String contact : contacts.isEmpty() ? List.of("sip:127.0.0.1:5060;transport=udp,tcp") : contacts) {
            try {
                // drachtio-server also takes a bare host[:port]
                ListenPoint.parseContact(contact.matches("(?i)sips?:.*") ? contact : "sip:" + contact).forEach(b::listen);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--contact " + contact + ": " + e.getMessage(), e);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + ": give --key-file and --cert-file", e);
        }
    }

    private static String help() {
        return String.join("\n",
                "Usage: ./switchboard sip-server [flags]",
                "",
                "An embedded drachtio-compatible SIP server: drachtio-srf apps (Node) and the Java client connect to it",
                "as to drachtio-server. With no flags it binds to loopback only.",
                "  --contact URI              SIP listen point, e.g. sip:127.0.0.1:5060;transport=udp,tcp (repeatable;",
                "                             default sip:127.0.0.1:5060 over UDP and TCP); transports udp, tcp, tls,",
                "                             ws, wss, e.g. sip:127.0.0.1:5061;transport=tls or sips:...;transport=wss",
                "  --key-file F, --cert-file F  PEM PKCS#8 key and certificate for tls and wss listen points",
                "  --chain-file F             PEM intermediate CA certificates sent after the certificate",
                "  --tls-cipherlist L         cipher suites (OpenSSL or IANA names, colon-separated; no keywords)",
                "  --dh-param F               accepted for drachtio-server compatibility; the JDK picks its own groups",
                "  --min-tls-version V        1.2 (default: TLS 1.2 and 1.3) or 1.3 (TLS 1.3 only)",
                "  --tls-verify-client M      none (default), optional or require: client certificates on tls and wss",
                "                             listen points and the TLS app port (not a drachtio-server flag)",
                "  --tls-ca-file F            PEM CAs that client and outbound peer certificates must chain to",
                "                             (default: the JDK's CAs)",
                "  --tls-port N               port apps connect to over TLS, with the --key-file/--cert-file identity;",
                "                             without --port (or with --port 0) apps connect over TLS only",
                "  -f, --file F               drachtio-server's XML configuration file: <admin>, <sip><contacts>,",
                "                             <sip><tls>, <udp-mtu>, <outbound-proxy>, <reject-register-with-no-realm>,",
                "                             <sip><spammers>",
                "  --address IP               address apps connect to (default 127.0.0.1)",
                "  --port N                   port apps connect to (default 9022)",
                "  --secret S                 shared secret (default cymru, refused unless --address is loopback)",
                "  --external-ip IP           public address advertised in Contact and to apps",
                "  --mtu N                    UDP requests within 200 bytes of this go over TCP (default 1500)",
                "  --loglevel L               error | warning | notice | info | debug",
                "  --stdout, --noconfig       accepted for drachtio-server compatibility (logs go to the console)",
                "  --sofia-loglevel N         accepted for drachtio-server compatibility (the SIP stack follows --loglevel)",
                "  --prometheus-scrape-port N serve Prometheus metrics at http://<--address>:N/metrics",
                "  --http-handler URL         route every new request by asking this web service (JSON actions reject,",
                "                             redirect, proxy, route); tcp://host:port sends them all to one listening app",
                "  --http-method GET|POST     how the web service is asked (default GET; POST sends the SIP request)",
                "  --t1 ms                    RFC 3261 T1 (default 500); T2 and T4 scale with it",
                "  --cdrs                     send CDR frames to apps that route cdr:attempt/start/stop",
                "  --always-send-180          answer every new INVITE with 180 Ringing at once",
                "  --rate-limit R             new requests per second one source address may send (default: no limit)",
                "  --rate-limit-burst N       how many may come at once above that rate (default: R rounded up)",
                "  --rate-limit-action A      reject (503 with Retry-After, the default) or discard (no answer)",
                "Environment: DRACHTIO_SECRET, DRACHTIO_HTTP_HANDLER_URI, DRACHTIO_LOCAL_DOMAIN,",
                "DRACHTIO_PRESERVE_HEADER_NAMES, DRACHTIO_ADMIN_TLS_PORT, DRACHTIO_TLS_KEY_FILE, DRACHTIO_TLS_CERT_FILE,",
                "DRACHTIO_TLS_CHAIN_FILE, DRACHTIO_TLS_CIPHER_LIST and DRACHTIO_MIN_TLS_VERSION as drachtio-server reads",
                "them (flags win over them, and they over the file).",
                "  --version, --help");
    }

    private static int number(String value, String flag) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'", e);
        }
    }

    private static double decimal(String value, String flag) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'", e);
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("sip-server: " + message);
        System.exit(64);
    }
}
