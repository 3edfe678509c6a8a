package org.switchboard.arquillian;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;
import org.switchboard.testkit.SipTransport;

/**
 * The embedded container's settings, from the {@code <container>}'s {@code <property>} elements in
 * {@code arquillian.xml} (Arquillian fills them through the setters, hence a mutable bean). Every property has a
 * default, so no {@code arquillian.xml} is needed.
 *
 * <ul>
 *   <li>{@code transport}: {@code udp} (default) or {@code tcp}, the one transport the embedded SIP server listens on
 *       (on a free loopback port) and the phones use;</li>
 *   <li>{@code settings}: further container settings in properties syntax, one {@code key=value} a line, the keys of
 *       {@code ./switchboard run --help} (for instance {@code answer.timeout=5}); they win over the adapter's own
 *       ({@code sip.contacts}, {@code deployments.dir}, {@code deployments.work}), so a test can set anything;</li>
 *   <li>{@code timeout}: how long a deployment or undeployment may take, in seconds (default 60).</li>
 * </ul>
 */
public final class SwitchboardConfiguration implements ContainerConfiguration {

    /** {@code timeout}'s default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private String transport = "udp";
    private String settings = "";
    private int timeout = (int) DEFAULT_TIMEOUT.toSeconds();

    /** Sets {@code transport}: {@code udp} or {@code tcp}. */
    public void setTransport(String transport) {
        this.transport = transport;
    }

    /** Sets {@code settings}: container settings, one {@code key=value} a line. */
    public void setSettings(String settings) {
        this.settings = settings;
    }

    /** Sets {@code timeout} in seconds. */
    public void setTimeout(int seconds) {
        this.timeout = seconds;
    }

    @Override
    public void validate() throws ConfigurationException {
        try {
            sipTransport();
            settings();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        if (timeout < 1) {
            throw new ConfigurationException("timeout: " + timeout + " is not a number of seconds (at least 1)");
        }
    }

    SipTransport sipTransport() {
        try {
            return SipTransport.valueOf(transport.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transport: '" + transport + "' is neither udp nor tcp");
        }
    }

    Map<String, String> settings() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(settings == null ? "" : settings));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("settings: not in properties syntax (key=value a line): " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return values;
    }

    Duration timeout() {
        return Duration.ofSeconds(timeout);
    }
}
