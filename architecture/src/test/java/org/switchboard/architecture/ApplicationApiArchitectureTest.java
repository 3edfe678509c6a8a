package org.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** What applications compile against stays free of how the platform is built. */
@AnalyzeClasses(packages = "org.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ApplicationApiArchitectureTest {

    @ArchTest
    static final ArchRule API_USES_NEITHER_NETTY_NOR_WELD = noClasses().that(Packages.SIP_API)
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.jboss.weld..")
            .because("applications compile against sip-api alone: it may bring neither Netty nor Weld onto their"
                    + " class path, nor tie them to how the platform does I/O or CDI");

    @ArchTest
    static final ArchRule API_KNOWS_NO_IMPLEMENTATION = noClasses().that(Packages.SIP_API)
            .should().dependOnClassesThat().resideInAnyPackage(Packages.SIP_STACK, Packages.DRACHTIO,
                    Packages.CONTAINER, Packages.ESL, Packages.MEDIA)
            .because("the application API is implemented by the container over the drachtio client; an API type"
                    + " that names an implementation class ties every application to it");

    @ArchTest
    static final ArchRule MEDIA_API_KNOWS_NO_IMPLEMENTATION = noClasses().that().resideInAPackage(Packages.SIP_MEDIA)
            .should().dependOnClassesThat().resideInAnyPackage(Packages.MRF, Packages.ESL, Packages.MEDIA,
                    Packages.SIP_STACK, Packages.DRACHTIO, Packages.CONTAINER, "io.netty..")
            .because("applications drive media through the media API's interfaces and values; the mrf-cdi module"
                    + " implements them over the event socket, and no API type may name its classes");
}
