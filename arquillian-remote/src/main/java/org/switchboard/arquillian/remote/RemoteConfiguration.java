package org.switchboard.arquillian.remote;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;
import org.switchboard.arquillian.SipAddress;
import org.switchboard.testkit.SipTransport;

/**
 * The remote container's settings, from the {@code <container>}'s {@code <property>} elements in {@code arquillian.xml}
 * (Arquillian fills them through the setters, hence a mutable bean; {@code ${env.NAME}} and {@code ${name}} there read
 * environment variables and system properties).
 *
 * <ul>
 *   <li>{@code adminUrl}: the running container's admin listener (default {@code http://127.0.0.1:8880}, the default
 *       of {@code admin.listen});</li>
 *   <li>{@code token} or {@code tokenFile} (exactly one): the container's {@code admin.token}, or a file holding it
 *       (the file a container writes when it generates its token), read when the container is set up;</li>
 *   <li>{@code sipAddress} (required): where the container takes SIP, {@code host:port} ({@code [v6]:port} for an IPv6
 *       literal), what the test's phones dial;</li>
 *   <li>{@code transport}: {@code udp} (default) or {@code tcp}, the transport of that address and of the phones;</li>
 *   <li>{@code deployTimeout}: how long a deployment or undeployment may take, in seconds (default 60; the container
 *       itself gives up on a deployment after 60 s).</li>
 * </ul>
 */
public final class RemoteConfiguration implements ContainerConfiguration {

    /** {@code adminUrl}'s default. */
    public static final String DEFAULT_ADMIN_URL = "http://127.0.0.1:8880";
    /** {@code deployTimeout}'s default. */
    public static final Duration DEFAULT_DEPLOY_TIMEOUT = Duration.ofSeconds(60);

    private String adminUrl = DEFAULT_ADMIN_URL;
    private String token;
    private String tokenFile;
    private String sipAddress;
    private String transport = "udp";
    private int deployTimeout = (int) DEFAULT_DEPLOY_TIMEOUT.toSeconds();

    /** Sets {@code adminUrl}. */
    public void setAdminUrl(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    /** Sets {@code token}, the admin token itself. */
    public void setToken(String token) {
        this.token = token;
    }

    /** Sets {@code tokenFile}, a file holding the admin token. */
    public void setTokenFile(String tokenFile) {
        this.tokenFile = tokenFile;
    }

    /** Sets {@code sipAddress}: {@code host:port}. */
    public void setSipAddress(String sipAddress) {
        this.sipAddress = sipAddress;
    }

    /** Sets {@code transport}: {@code udp} or {@code tcp}. */
    public void setTransport(String transport) {
        this.transport = transport;
    }

    /** Sets {@code deployTimeout} in seconds. */
    public void setDeployTimeout(int seconds) {
        this.deployTimeout = seconds;
    }

    @Override
    public void validate() throws ConfigurationException {
        try {
            adminUri();
            sip();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        if (blank(token) == blank(tokenFile)) {
            throw new ConfigurationException("token, tokenFile: set exactly one (the container's admin.token, or a file holding it)");
        }
        if (deployTimeout < 1) {
            throw new ConfigurationException("deployTimeout: " + deployTimeout + " is not a number of seconds (at least 1)");
        }
    }

    /** The admin listener's base address, without a trailing slash. */
    URI adminUri() {
        String url = adminUrl == null ? "" : adminUrl.trim().replaceAll("/+$", "");
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("adminUrl: '" + adminUrl + "' is not an http or https address");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("adminUrl: '" + adminUrl + "' is not an address: " + e.getReason());
        }
    }

    /** The token, from {@code token} or read from {@code tokenFile} (its first line). */
    String token() throws IOException {
        if (!blank(token)) {
            return token.trim();
        }
        Path file = Path.of(tokenFile.trim());
        String read;
        try {
            read = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("tokenFile: cannot read " + file + ": " + e, e);
        }
        if (read.isEmpty()) {
            throw new IOException("tokenFile: " + file + " is empty");
        }
        return read.lines().findFirst().orElseThrow().strip();
    }

    /** Where the phones dial. */
    SipAddress sip() {
        SipTransport t;
        try {
            t = SipTransport.valueOf(transport.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("transport: '" + transport + "' is neither udp nor tcp");
        }
        if (blank(sipAddress)) {
            throw new IllegalArgumentException("sipAddress: required, host:port where the running container takes SIP");
        }
        String a = sipAddress.trim();
        int colon = a.lastIndexOf(':');
        String host = colon < 0 ? "" : a.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("no host");
            }
            return new SipAddress(host, Integer.parseInt(a.substring(colon + 1)), t);
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("sipAddress: '" + sipAddress + "' is not host:port");
        }
    }

    Duration deployTimeout() {
        return Duration.ofSeconds(deployTimeout);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
