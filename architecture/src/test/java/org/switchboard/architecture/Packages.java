package org.switchboard.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The project's packages as the rules name them. Rules go by package, not by jar, so they hold wherever a
 * package's module lives (the drachtio server, for one, may move into a module of its own).
 */
final class Packages {

    static final String SIP = "org.switchboard.sip..";
    static final String SIP_STACK = "org.switchboard.sip.stack..";
    static final String DRACHTIO = "org.switchboard.drachtio..";
    static final String DRACHTIO_CLIENT = "org.switchboard.drachtio.client..";
    static final String DRACHTIO_WIRE = "org.switchboard.drachtio.wire..";
    static final String DRACHTIO_SERVER = "org.switchboard.drachtio.server..";
    static final String ESL = "org.switchboard.esl..";
    static final String MEDIA = "org.switchboard.media..";
    static final String CONTAINER = "org.switchboard.container..";
    static final String MRF = "org.switchboard.mrf..";
    static final String MRF_STATUS = "org.switchboard.mrf.status..";
    static final String SIP_MEDIA = "org.switchboard.sip.media..";
    static final String EXECUTORS = "org.switchboard.executors..";
    static final String LIFECYCLE = "org.switchboard.lifecycle..";
    static final String METRICS = "org.switchboard.metrics..";
    static final String CONNECTION = "org.switchboard.connection..";
    static final String TESTKIT = "org.switchboard.testkit..";
    static final String ARQUILLIAN = "org.switchboard.arquillian..";

    /** The application API: sip-api's packages, which share the {@code org.switchboard.sip} prefix with sip-stack. */
    static final DescribedPredicate<JavaClass> SIP_API = resideInAPackage(SIP).and(not(resideInAPackage(SIP_STACK)))
            .as("sip-api (org.switchboard.sip.. outside org.switchboard.sip.stack..)");

    /**
     * Each module's root packages: the classes of a root and of each package directly below it form one
     * slice of the cycle rule. Longest match wins, so sip-stack's classes are not taken for sip-api's.
     */
    static final List<String> MODULE_ROOTS = List.of(
            "org.switchboard.testing",
            "org.switchboard.executors",
            "org.switchboard.lifecycle",
            "org.switchboard.metrics",
            "org.switchboard.connection",
            "org.switchboard.sip",
            "org.switchboard.sip.stack",
            "org.switchboard.esl",
            "org.switchboard.drachtio",
            "org.switchboard.media",
            "org.switchboard.mrf",
            "org.switchboard.testkit",
            "org.switchboard.container",
            "org.switchboard.arquillian");

    /**
     * One package of each module (the drachtio server's, wherever it lives): if a module's classes are missing
     * from the class path, its rules would pass without having seen it.
     */
    static final List<String> ONE_PER_MODULE = List.of(
            "org.switchboard.testing.leak",
            "org.switchboard.executors",
            "org.switchboard.connection",
            "org.switchboard.sip.message",
            "org.switchboard.sip.stack.transaction",
            "org.switchboard.esl.codec",
            "org.switchboard.esl.cli",
            "org.switchboard.drachtio.client",
            "org.switchboard.drachtio.server",
            "org.switchboard.media.server",
            "org.switchboard.mrf",
            "org.switchboard.testkit.audio",
            "org.switchboard.container.deploy",
            "org.switchboard.arquillian",
            "org.switchboard.arquillian.remote");

    private Packages() {
    }

    /** The module root {@code pkg} belongs to, if it is one of the project's. */
    static Optional<String> moduleRootOf(String pkg) {
        return MODULE_ROOTS.stream()
                .filter(root -> pkg.equals(root) || pkg.startsWith(root + "."))
                .max(Comparator.comparingInt(String::length));
    }
}
