package org.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/** Inside a module, the packages form layers, never a cycle. */
@AnalyzeClasses(packages = "org.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageLayersArchitectureTest {

    @ArchTest
    static final ArchRule TOP_LEVEL_PACKAGES_ARE_FREE_OF_CYCLES = slices().assignedFrom(new TopLevelPackages())
            .should().beFreeOfCycles()
            .because("a module's packages are its concepts, each usable and testable with the ones below it; a"
                    + " cycle makes two concepts one");

    @ArchTest
    static final ArchRule SIP_STACK_IS_LAYERED_LIKE_NETTYS_CODECS = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("user agent").definedBy("org.switchboard.sip.stack.ua..")
            .layer("stack").definedBy("org.switchboard.sip.stack")
            .layer("transaction").definedBy("org.switchboard.sip.stack.transaction..")
            .layer("transport").definedBy("org.switchboard.sip.stack.transport..")
            .layer("codec").definedBy("org.switchboard.sip.stack.codec..")
            .whereLayer("user agent").mayNotBeAccessedByAnyLayer()
            .whereLayer("stack").mayOnlyBeAccessedByLayers("user agent")
            .whereLayer("transaction").mayOnlyBeAccessedByLayers("stack", "user agent")
            .whereLayer("transport").mayOnlyBeAccessedByLayers("transaction", "stack", "user agent")
            .whereLayer("codec").mayOnlyBeAccessedByLayers("transport", "transaction", "stack", "user agent")
            .because("each sip-stack package uses only the ones below it (docs/ARCHITECTURE.md), so a layer can be"
                    + " tested, and replaced, without the ones above");

    @ArchTest
    static final ArchRule MEDIA_PRIMITIVES_ARE_PLAIN_JAVA = noClasses()
            .that().resideInAnyPackage("org.switchboard.media.codec..", "org.switchboard.media.rtp..",
                    "org.switchboard.media.dtmf..", "org.switchboard.media.audio..", "org.switchboard.media.source..",
                    "org.switchboard.media.sdp..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.switchboard.media.session..",
                    "org.switchboard.media.core..", "org.switchboard.media.sip..", "org.switchboard.media.esl..",
                    "org.switchboard.media.app..", "org.switchboard.media.conference..",
                    "org.switchboard.media.server..")
            .because("the media primitives are plain Java tested without sockets or clocks; session puts them on"
                    + " Netty and the media clock, and the switch is built on top");

    /** A module's root package, and each package directly below it with its subpackages, is one slice. */
    static final class TopLevelPackages implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            return Packages.moduleRootOf(pkg)
                    .map(root -> SliceIdentifier.of(topLevel(root, pkg)))
                    .orElse(SliceIdentifier.ignore());
        }

        private static String topLevel(String root, String pkg) {
            if (pkg.equals(root)) {
                return root;
            }
            int end = pkg.indexOf('.', root.length() + 1);
            return end < 0 ? pkg : pkg.substring(0, end);
        }

        @Override
        public String getDescription() {
            return "each module's top-level packages";
        }
    }
}
