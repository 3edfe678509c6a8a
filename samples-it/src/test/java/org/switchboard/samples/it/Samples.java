package org.switchboard.samples.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.switchboard.arquillian.SipAddress;

/** The sample WARs as their modules built them (copied into {@code target/samples} by the build). */
final class Samples {

    /** How long a step of a call may take: media set-up and the flite prompts are slow on a loaded machine. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private Samples() {
    }

    /** The sample {@code name}'s WAR, deployed as application {@code name}. */
    static WebArchive war(String name) {
        Path war = Path.of("target/samples/sample-" + name + ".war");
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war.toAbsolutePath() + " is missing: run the build through Maven");
        }
        return ShrinkWrap.create(ZipImporter.class, name + ".war").importFrom(war.toFile()).as(WebArchive.class);
    }

    /** The container's address without a user: where a REGISTER goes. */
    static String registrar(SipAddress container) {
        return container.uri("x").replace("sip:x@", "sip:");
    }
}
