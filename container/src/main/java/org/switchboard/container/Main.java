package org.switchboard.container;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code ./switchboard run [--config FILE] [--deployments DIR] [--set key=value]... [--help]}: runs a container in the foreground. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of("config/switchboard.properties");
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    System.out.println(help());
                    return;
                }
                case "--config" -> file = Path.of(value(args, ++i));
                case "--deployments" -> overrides.put("deployments.dir", value(args, ++i));
                case "--set" -> {
                    String kv = value(args, ++i);
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        fail("--set wants key=value, not " + kv);
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> fail("unknown flag " + args[i] + "\n\n" + help());
            }
        }
        ContainerConfig config;
        Container container;
        try {
            config = ContainerConfig.load(file, System.getenv(), overrides);
            container = Container.start(config);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            container.close();
            stop.countDown();
        }, "switchboard-shutdown"));
        stop.await();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            fail(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("switchboard run: " + message);
        System.exit(64);
    }

    private static String help() {
        return String.join("\n",
                "Usage: ./switchboard run [--config FILE] [--deployments DIR] [--set key=value]...",
                "",
                "Runs the Switchboard container in the foreground: deploys the WAR/JAR archives in the deployments folder",
                "(and redeploys or undeploys them as they change) and connects them to SIP. With no configuration it starts",
                "the embedded drachtio-compatible SIP server on 127.0.0.1:5060 (UDP and TCP).",
                "",
                "  --config FILE       properties file (default config/switchboard.properties when present)",
                "  --deployments DIR   the folder to watch (default deployments)",
                "  --set key=value     one setting, over the file and the environment",
                "",
                "Settings (file keys; environment SWITCHBOARD_<KEY> with dots as underscores):",
                "  drachtio.mode        embedded | inbound | outbound              (embedded)",
                "  drachtio.host/port   inbound: the drachtio-server admin address  (127.0.0.1 / 9022)",
                "  drachtio.listen      outbound: host:port the server connects to (127.0.0.1:9023)",
                "  drachtio.secret      required for an external server; 'cymru' only on loopback",
                "  sip.contacts         embedded SIP listen points (sip:127.0.0.1:5060;transport=udp,tcp)",
                "  sip.t1               embedded RFC 3261 T1 in ms (500); sip.cdrs: send CDRs (false)",
                "  deployments.dir      watched folder (deployments); deployments.work: unpack folder",
                "  deployments.scan     scan interval, ms (1000); deployments.drain: drain timeout, s (30)",
                "  answer.timeout       s before an unanswered request gets 480 (180)",
                "  app.NAME.routing.methods|user|host|priority   routing overrides for application NAME");
    }
}
