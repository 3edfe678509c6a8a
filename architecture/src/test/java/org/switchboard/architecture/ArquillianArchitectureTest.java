package org.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The Arquillian adapter: for tests only, on the container's boot and deployment API, not its insides. */
@AnalyzeClasses(packages = "org.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArquillianArchitectureTest {

    @ArchTest
    static final ArchRule NOTHING_BUT_TESTS_USES_THE_ADAPTER = noClasses().that().resideOutsideOfPackage(Packages.ARQUILLIAN)
            .should().dependOnClassesThat().resideInAPackage(Packages.ARQUILLIAN)
            .because("the adapter starts a container for a test, with the test's class path visible to the applications;"
                    + " nothing that runs in production may start one that way");

    @ArchTest
    static final ArchRule THE_ADAPTER_USES_THE_CONTAINERS_BOOT_API = noClasses().that().resideInAPackage(Packages.ARQUILLIAN)
            .should().dependOnClassesThat().resideInAnyPackage("org.switchboard.container.sip..",
                    "org.switchboard.container.cdi..", Packages.DRACHTIO_CLIENT, Packages.DRACHTIO_WIRE, Packages.MEDIA, Packages.ESL)
            .because("the adapter boots, deploys and stops the container like ./switchboard run does (Container,"
                    + " ContainerConfig, Deployer); SIP reaches the deployment from the phones, over the network");
}
