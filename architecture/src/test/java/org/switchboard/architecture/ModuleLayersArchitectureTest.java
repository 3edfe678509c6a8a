package org.switchboard.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/** The modules' layers of docs/ARCHITECTURE.md: each uses only what sits below it. */
@AnalyzeClasses(packages = "org.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleLayersArchitectureTest {

    /** The rules see every module: one missing from this module's dependencies would pass them unseen. */
    @ArchTest
    static void everyModuleIsImported(JavaClasses classes) {
        List<String> missing = Packages.ONE_PER_MODULE.stream().filter(pkg -> !classes.containPackage(pkg)).toList();
        if (!missing.isEmpty()) {
            throw new AssertionError("no classes imported from " + missing + ": add their module as a test"
                    + " dependency of the architecture module");
        }
    }

    @ArchTest
    static final ArchRule FOUNDATIONS_KNOW_NO_PROTOCOL = noClasses()
            .that().resideInAnyPackage(Packages.EXECUTORS, Packages.LIFECYCLE, Packages.METRICS, Packages.CONNECTION)
            .should().dependOnClassesThat().resideInAnyPackage(Packages.SIP, Packages.DRACHTIO, Packages.ESL,
                    Packages.MEDIA, Packages.MRF, Packages.CONTAINER)
            .because("executors, lifecycle, metrics and connection are shared by every protocol module; knowing one of"
                    + " them would pull it into all the others");

    @ArchTest
    static final ArchRule CONTAINER_OPERATIONS_KNOW_ONLY_HEALTH_CHECKS = noClasses()
            .that().resideInAPackage("org.switchboard.container.ops..")
            .should().dependOnClassesThat().resideInAnyPackage(Packages.SIP, Packages.DRACHTIO, Packages.ESL, Packages.MEDIA,
                    Packages.MRF, "org.switchboard.container.sip..", "org.switchboard.container.deploy..",
                    "org.switchboard.container.cdi..")
            .because("what operators read (scrape text, health reports) is served by the admin listener for any part;"
                    + " the container hands it its parts as health checks, so it never reaches into them");

    @ArchTest
    static final ArchRule SIP_STACK_KNOWS_ONLY_SIP = noClasses().that().resideInAPackage(Packages.SIP_STACK)
            .should().dependOnClassesThat().resideInAnyPackage(Packages.DRACHTIO, Packages.ESL, Packages.MEDIA,
                    Packages.CONTAINER)
            .because("sip-stack is SIP on Netty for the drachtio server and the media server alike; it knows"
                    + " neither of them nor the container");

    @ArchTest
    static final ArchRule ESL_KNOWS_NO_SIP = noClasses().that().resideInAPackage(Packages.ESL)
            .should().dependOnClassesThat().resideInAnyPackage(Packages.SIP, Packages.DRACHTIO, Packages.MEDIA,
                    Packages.MRF, Packages.CONTAINER)
            .because("the event socket client and fs-cli speak to any FreeSWITCH-compatible switch; SIP and the"
                    + " embedded media server are the switch's business");

    @ArchTest
    static final ArchRule MEDIA_SERVER_IS_NO_CONTAINER_PART = noClasses().that().resideInAPackage(Packages.MEDIA)
            .should().dependOnClassesThat().resideInAnyPackage(Packages.CONTAINER, Packages.DRACHTIO, Packages.MRF)
            .because("the media server stands alone like FreeSWITCH: the container reaches it only through the"
                    + " event socket, and it speaks SIP itself on sip-stack");

    @ArchTest
    static final ArchRule MRF_REACHES_THE_MEDIA_SERVER_ONLY_OVER_ESL_AND_SIP = noClasses()
            .that().resideInAPackage(Packages.MRF)
            .should().dependOnClassesThat().resideInAnyPackage(Packages.CONTAINER, Packages.MEDIA)
            .because("the media framework drives any FreeSWITCH-compatible switch over the event socket and SIP,"
                    + " the embedded media server like the others; the container wires it, not the reverse");

    @ArchTest
    static final ArchRule DRACHTIO_CLIENT_KNOWS_NO_SERVER = noClasses()
            .that().resideInAnyPackage(Packages.DRACHTIO_CLIENT, Packages.DRACHTIO_WIRE)
            .should().dependOnClassesThat().resideInAPackage(Packages.DRACHTIO_SERVER)
            .because("the drachtio client and wire codec work against any drachtio-server; the embedded server"
                    + " is one such peer, reached over TCP like the others");

    @ArchTest
    static final ArchRule CONTAINER_REACHES_SIP_THROUGH_THE_CLIENT = noClasses()
            .that().resideInAnyPackage("org.switchboard.container.sip..", "org.switchboard.container.deploy..",
                    "org.switchboard.container.cdi..")
            .should().dependOnClassesThat().resideInAnyPackage(Packages.SIP_STACK, Packages.DRACHTIO_SERVER, Packages.MEDIA)
            .because("one code path: the container's SIP side uses the drachtio client whether the peer is the"
                    + " embedded server or a real drachtio-server, and its media the media framework whether the"
                    + " switch is the embedded media server or FreeSWITCH; only its boot (org.switchboard.container)"
                    + " starts the embedded servers");

    @ArchTest
    static final ArchRule ADMIN_READS_THE_CONTAINER_THROUGH_ITS_VIEWS = noClasses()
            .that().resideInAPackage("org.switchboard.container.admin..")
            .should().dependOnClassesThat(resideInAnyPackage(Packages.SIP_STACK, Packages.DRACHTIO, Packages.ESL,
                    Packages.MEDIA, Packages.MRF, "org.switchboard.container.cdi..", "org.jboss.weld..")
                    .and(not(resideInAPackage(Packages.MRF_STATUS))))
            .because("the admin API and the console read and act through the sip and deploy packages' public views"
                    + " (calls, ladders, hang-up, deployments), the media API and the media framework's status values"
                    + " (what a switch runs, read through the media API), whatever the peers are");
}
