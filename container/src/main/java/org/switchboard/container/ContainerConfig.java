package org.switchboard.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The container's settings: a properties file, then environment variables ({@code SWITCHBOARD_DRACHTIO_MODE}
 * sets {@code drachtio.mode}: upper case, dots as underscores), then explicit overrides. Immutable.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>drachtio.mode</td><td>{@code embedded} (default), {@code inbound} or {@code outbound}</td></tr>
 *   <tr><td>drachtio.host, drachtio.port</td><td>inbound: the drachtio-server's admin address (127.0.0.1:9022)</td></tr>
 *   <tr><td>drachtio.listen</td><td>outbound: {@code host:port} the server connects to (127.0.0.1:9023)</td></tr>
 *   <tr><td>drachtio.secret</td><td>the shared secret; {@code cymru} is allowed only on loopback; embedded: random</td></tr>
 *   <tr><td>sip.contacts</td><td>embedded: SIP listen points, comma separated ({@code sip:127.0.0.1:5060;transport=udp,tcp})</td></tr>
 *   <tr><td>sip.t1</td><td>embedded: RFC 3261 T1 in ms (500)</td></tr>
 *   <tr><td>sip.cdrs</td><td>embedded: whether the server sends call detail records ({@code false})</td></tr>
 *   <tr><td>deployments.dir, deployments.work</td><td>the watched folder ({@code deployments}) and where archives unpack</td></tr>
 *   <tr><td>deployments.scan, deployments.drain</td><td>scan interval in ms (1000), drain timeout in s (30)</td></tr>
 *   <tr><td>answer.timeout</td><td>s after which a request no one answered gets 480 (180)</td></tr>
 *   <tr><td>app.NAME.routing.*</td><td>routing overrides for application NAME</td></tr>
 * </table>
 */
public final class ContainerConfig {

    private final Properties props;

    private ContainerConfig(Properties props) {
        this.props = props;
    }

    /** Reads {@code file} when it exists, then the environment, then {@code overrides}. */
    public static ContainerConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        Properties p = new Properties();
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        environment.forEach((k, v) -> {
            if (k.startsWith("SWITCHBOARD_")) {
                p.setProperty(k.substring("SWITCHBOARD_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        p.putAll(overrides);
        return new ContainerConfig(p);
    }

    /** Only {@code values}. */
    public static ContainerConfig of(Map<String, String> values) {
        return load(null, Map.of(), values);
    }

    String get(String key, String fallback) {
        return props.getProperty(key, fallback).trim();
    }

    /** The drachtio mode. */
    public String mode() {
        String mode = get("drachtio.mode", "embedded").toLowerCase(Locale.ROOT);
        if (!List.of("embedded", "inbound", "outbound").contains(mode)) {
            throw new IllegalArgumentException("drachtio.mode must be embedded, inbound or outbound, not " + mode);
        }
        return mode;
    }

    List<String> contacts() {
        return Arrays.stream(get("sip.contacts", "sip:127.0.0.1:5060;transport=udp,tcp").split("\\s*,\\s*(?=sip:)")).toList();
    }

    Duration t1() {
        return Duration.ofMillis(Long.parseLong(get("sip.t1", "500")));
    }

    boolean cdrs() {
        return Boolean.parseBoolean(get("sip.cdrs", "false"));
    }

    Path deployments() {
        return Path.of(get("deployments.dir", "deployments"));
    }

    Path work() {
        return Path.of(get("deployments.work", System.getProperty("java.io.tmpdir") + "/switchboard-work-" + ProcessHandle.current().pid()));
    }

    Duration scanInterval() {
        return Duration.ofMillis(Long.parseLong(get("deployments.scan", "1000")));
    }

    Duration drainTimeout() {
        return Duration.ofSeconds(Long.parseLong(get("deployments.drain", "30")));
    }

    Duration answerTimeout() {
        return Duration.ofSeconds(Long.parseLong(get("answer.timeout", "180")));
    }

    Properties all() {
        Properties copy = new Properties();
        copy.putAll(props);
        return copy;
    }
}
