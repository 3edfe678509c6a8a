package org.switchboard.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.switchboard.testing.net.FreePorts;

/**
 * What a container test sets up before it boots one: a deployments folder holding sample WARs (as their modules
 * built them) and test applications, a free SIP port, and the settings that point a container at both.
 */
final class TestDeployments {

    private final Path dir;
    private final Path deployments;
    private final int sipPort;

    private TestDeployments(Path dir) throws IOException {
        this.dir = dir;
        this.deployments = Files.createDirectories(dir.resolve("deployments"));
        this.sipPort = FreePorts.udpAndTcp();
    }

    /** A deployments folder under {@code dir} (the container's work folder goes beside it). */
    static TestDeployments in(Path dir) throws IOException {
        return new TestDeployments(dir);
    }

    /** Adds the WARs of samples {@code names} (such as {@code uas}, {@code b2bua}) as {@code <name>.war}. */
    TestDeployments samples(String... names) throws IOException {
        for (String name : names) {
            Files.copy(Path.of("target/samples/sample-" + name + ".war"), deployments.resolve(name + ".war"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        return this;
    }

    /** Adds {@code <name>.jar}: the test classes of {@code pkg}, discovered by annotation, taking INVITEs. */
    TestDeployments invitesTo(String name, String pkg) throws IOException {
        Archives.jar(deployments.resolve(name + ".jar"), pkg, Map.of(
                "beans.xml", "<beans bean-discovery-mode=\"annotated\"/>",
                "switchboard.properties", "routing.methods=INVITE\n"));
        return this;
    }

    Path folder() {
        return deployments;
    }

    int sipPort() {
        return sipPort;
    }

    /**
     * Settings for a container listening on the SIP port over {@code transports} (as in {@code udp,tcp}) and
     * deploying from this folder, with {@code more} (key, value, key, value...) added or overriding.
     */
    Map<String, String> settings(String transports, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "admin.listen", "127.0.0.1:0", // never the default port: runs of the tests may share a machine
                "sip.contacts", "sip:127.0.0.1:" + sipPort + ";transport=" + transports,
                "deployments.dir", deployments.toString(),
                "deployments.work", dir.resolve("work").toString()));
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    /** Starts a container with {@link #settings}. */
    Container start(String transports, String... more) throws Exception {
        return Container.start(ContainerConfig.of(settings(transports, more)));
    }
}
