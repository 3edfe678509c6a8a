package org.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The Arquillian adapter: for tests only, on the container's boot and deployment API, not its insides; its remote mode
 * on none of the container.
 */
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

    @ArchTest
    static final ArchRule THE_REMOTE_ADAPTER_REACHES_THE_CONTAINER_OVER_THE_NETWORK = noClasses()
            .that().resideInAPackage("org.switchboard.arquillian.remote..")
            .should().dependOnClassesThat().resideInAnyPackage(Packages.CONTAINER, Packages.DRACHTIO, Packages.SIP_STACK, Packages.MEDIA)
            .because("the remote adapter deploys to a container in another JVM through its admin API (HTTP) and the phones"
                    + " reach it over SIP: nothing of the container runs on its side");
}
