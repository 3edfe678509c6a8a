package org.switchboard.testing.kamailio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.switchboard.testing.net.BoundPorts;
import org.switchboard.testing.net.FreePorts;
import org.switchboard.testing.poll.Poll;

/**
 * Kamailio (Debian's {@code kamailio} with {@code kamailio-tls-modules}) run for a test on loopback, listening on UDP,
 * TCP and (when given an identity) TLS on free ports. As a record-routing relay it sends each new request that arrives
 * over one protocol to the URI given for it (so sipp's UDP calls can reach a TLS server, which sipp itself cannot
 * speak); as a registrar it keeps REGISTERs in its location table, with their Path, and sends new requests to the
 * registered contacts through that Path. In-dialog requests go by their Route headers. {@link #rpc} runs its RPC
 * commands ({@code kamcmd}). A test run where kamailio (or its TLS module, when TLS is asked for) is not installed is
 * skipped.
 */
public final class Kamailio implements AutoCloseable {

    /** Where Debian installs the binary and the modules. */
    private static final Path BINARY = Path.of("/usr/sbin/kamailio");
    private static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");
    private static final Path KAMCMD = Path.of("/usr/sbin/kamcmd");
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static final int ATTEMPTS = 3;

    private final Process process;
    private final Path log;
    private final Path control;
    private final int udpPort;
    private final int tcpPort;
    private final int tlsPort;

    private Kamailio(Process process, Path log, Path control, int udpPort, int tcpPort, int tlsPort) {
        this.process = process;
        this.log = log;
        this.control = control;
        this.udpPort = udpPort;
        this.tcpPort = tcpPort;
        this.tlsPort = tlsPort;
    }

    /** A relay whose files (configuration, log) live in {@code dir}. */
    public static Builder relay(Path dir) {
        return new Builder(dir, false);
    }

    /**
     * A registrar whose files live in {@code dir}: REGISTERs are saved in the location table (in memory), their Path
     * headers with them (RFC 3327, stored whatever the client's Supported says); a new request to a registered user is
     * sent to its contact through the stored Path, which becomes its Route set; one to nobody registered gets 404.
     * TLS is optional, and {@link Builder#forward} is not used.
     */
    public static Builder registrar(Path dir) {
        return new Builder(dir, true);
    }

    /** Kamailio's UDP port on 127.0.0.1. */
    public int udpPort() {
        return udpPort;
    }

    /** Kamailio's TCP port on 127.0.0.1. */
    public int tcpPort() {
        return tcpPort;
    }

    /** Kamailio's TLS port on 127.0.0.1; 0 without {@link Builder#tls}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** What kamailio logged so far, for assertion messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Runs an RPC command through kamailio's control socket ({@code kamcmd}, as in {@code ul.dump}) and returns what it
     * printed; fails when kamcmd does not answer within 10 s or exits with an error.
     */
    public String rpc(String... command) {
        List<String> all = new ArrayList<>(List.of(KAMCMD.toString(), "-s", "unixs:" + control));
        all.addAll(List.of(command));
        try {
            Path out = Files.createTempFile(log.getParent(), "kamcmd", ".out");
            Process kamcmd = new ProcessBuilder(all).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended = kamcmd.waitFor(10, TimeUnit.SECONDS);
            if (!ended) {
                kamcmd.destroyForcibly();
            }
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            if (!ended || kamcmd.exitValue() != 0) {
                throw new AssertionError("kamcmd " + String.join(" ", command) + (ended ? " failed: " : " hung: ") + printed);
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kamcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops kamailio and the worker processes it forked. */
    @Override
    public void close() {
        var workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** How a relay or registrar is set up. */
    public static final class Builder {
        private final Path dir;
        private final boolean registrar;
        private final Map<String, String> forward = new LinkedHashMap<>();
        private Path certificate;
        private Path privateKey;
        private Path authority;
        private int sharedMemoryMegabytes = 64;
        private int workers = 2;

        private Builder(Path dir, boolean registrar) {
            this.dir = Objects.requireNonNull(dir, "dir");
            this.registrar = registrar;
        }

        /**
         * Kamailio's TLS identity (PEM certificate chain and key) for its TLS listener, and the CA it checks the
         * certificates of the TLS servers it connects to against (a server it cannot verify is refused).
         */
        public Builder tls(Path certificate, Path privateKey, Path authority) {
            this.certificate = certificate;
            this.privateKey = privateKey;
            this.authority = authority;
            return this;
        }

        /**
         * New requests arriving over {@code protocol} ({@code udp}, {@code tcp} or {@code tls}) go to
         * {@code destination}, a SIP URI such as {@code sip:127.0.0.1:5061;transport=tls}; others are answered 404.
         */
        public Builder forward(String protocol, String destination) {
            forward.put(protocol.toLowerCase(Locale.ROOT), destination);
            return this;
        }

        /** Shared memory (default 64 MB) and the worker processes per listener (default 2), for load runs. */
        public Builder size(int sharedMemoryMegabytes, int workers) {
            this.sharedMemoryMegabytes = sharedMemoryMegabytes;
            this.workers = workers;
            return this;
        }

        /**
         * Starts kamailio on free ports and waits until its listeners are bound.
         *
         * <p>When kamailio, or its TLS module for a relay with {@link #tls}, is not installed, the calling test is
         * skipped (a JUnit assumption).
         */
        public Kamailio start() {
            assumeTrue(Files.isExecutable(BINARY) && (certificate == null || Files.exists(MODULES.resolve("tls.so"))),
                    "kamailio with its TLS module is not installed (Debian kamailio, kamailio-tls-modules):"
                            + " run scripts/install-test-peers");
            if (!registrar) {
                Objects.requireNonNull(certificate, "tls(...) is required for a relay");
            }
            AssertionError last = null;
            // the free ports are picked before kamailio binds them: another process may take one in between
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                try {
                    return launch(FreePorts.udp(), FreePorts.tcp(), certificate == null ? 0 : FreePorts.tcp());
                } catch (AssertionError e) {
                    last = e;
                }
            }
            throw last;
        }

        private Kamailio launch(int udp, int tcp, int tls) {
            try {
                Files.createDirectories(dir.resolve("run"));
                Path tlsConfig = dir.resolve("kamailio-tls.cfg");
                if (tls != 0) {
                    Files.writeString(tlsConfig, tlsConfig());
                }
                Path control = dir.resolve("run").resolve("kamailio_ctl");
                Path config = dir.resolve("kamailio.cfg");
                Files.writeString(config, config(udp, tcp, tls, tlsConfig, control));
                Path log = dir.resolve("kamailio.log");
                Process process = new ProcessBuilder(BINARY.toString(), "-f", config.toString(), "-DD", "-E",
                        "-Y", dir.resolve("run").toString(), "-m", Integer.toString(sharedMemoryMegabytes), "-M", "8")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                Kamailio k = new Kamailio(process, log, control, udp, tcp, tls);
                try {
                    Poll.await(START_LIMIT, "kamailio listening on UDP " + udp + ", TCP " + tcp + " and TLS " + tls, () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("kamailio ended (" + process.exitValue() + "): " + k.log());
                        }
                        return BoundPorts.udp(udp) && BoundPorts.tcpListening(tcp)
                                && (tls == 0 || BoundPorts.tcpListening(tls)) && Files.exists(control);
                    });
                } catch (AssertionError | InterruptedException e) {
                    k.close();
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    throw e instanceof AssertionError a ? a : new AssertionError("interrupted", e);
                }
                return k;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start kamailio", e);
            }
        }

        private String tlsConfig() {
            return "[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n"
                    + "certificate = " + certificate + "\nprivate_key = " + privateKey + "\n\n"
                    + "[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nrequire_certificate = yes\n"
                    + "ca_list = " + authority + "\n";
        }

        private String config(int udp, int tcp, int tls, Path tlsConfig, Path control) {
            List<String> lines = new ArrayList<>(List.of(
                    "#!KAMAILIO",
                    "debug=1",
                    "log_stderror=yes",
                    "children=" + workers,
                    "tcp_children=" + workers,
                    "listen=udp:127.0.0.1:" + udp,
                    "listen=tcp:127.0.0.1:" + tcp,
                    tls != 0 ? "enable_tls=yes\nlisten=tls:127.0.0.1:" + tls : "enable_tls=no",
                    "mpath=\"" + MODULES + "/\"",
                    "loadmodule \"tm.so\"",
                    "loadmodule \"sl.so\"",
                    "loadmodule \"rr.so\"",
                    "loadmodule \"pv.so\"",
                    "loadmodule \"maxfwd.so\"",
                    "loadmodule \"textops.so\"",
                    "loadmodule \"siputils.so\"",
                    "loadmodule \"ctl.so\"",
                    "modparam(\"ctl\", \"binrpc\", \"unix:" + control + "\")",
                    // two Record-Route entries when the protocol changes on the way through (RFC 5658)
                    "modparam(\"rr\", \"enable_double_rr\", 1)"));
            if (tls != 0) {
                lines.addAll(List.of("loadmodule \"tls.so\"",
                        "modparam(\"tls\", \"config\", \"" + tlsConfig + "\")"));
            }
            if (registrar) {
                lines.addAll(List.of("loadmodule \"usrloc.so\"", "loadmodule \"registrar.so\"",
                        "modparam(\"usrloc\", \"db_mode\", 0)",
                        // the Path is stored and becomes the Route set of requests to the contact (RFC 3327)
                        "modparam(\"registrar\", \"use_path\", 1)",
                        "modparam(\"registrar\", \"path_mode\", 0)"));
            }
            lines.addAll(List.of(
                    "request_route {",
                    "  if (!mf_process_maxfwd_header(\"10\")) { sl_send_reply(\"483\", \"Too Many Hops\"); exit; }",
                    "  if (has_totag()) {",
                    "    if (loose_route()) { t_relay(); exit; }",
                    "    if (is_method(\"ACK\") && t_check_trans()) { t_relay(); }",
                    "    exit;",
                    "  }",
                    "  if (is_method(\"CANCEL\")) { if (t_check_trans()) { t_relay(); } exit; }",
                    "  t_check_trans();"));
            if (registrar) {
                lines.addAll(List.of(
                        "  if (is_method(\"REGISTER\")) { if (!save(\"location\")) { sl_reply_error(); } exit; }",
                        "  record_route();",
                        "  if (!lookup(\"location\")) { sl_send_reply(\"404\", \"Not Registered\"); exit; }",
                        "  t_relay();"));
            } else {
                lines.add("  record_route();");
                forward.forEach((protocol, destination) -> lines.add("  if ($pr == \"" + protocol + "\") { $du = \""
                        + destination + "\"; t_relay(); exit; }"));
                lines.add("  sl_send_reply(\"404\", \"No route for this protocol\");");
            }
            lines.addAll(List.of("}", ""));
            return String.join("\n", lines);
        }
    }
}
