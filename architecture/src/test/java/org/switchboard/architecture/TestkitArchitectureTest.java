package org.switchboard.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;

/** The test kit: a library for the applications' tests, with no Netty type in its API, built on the media primitives. */
@AnalyzeClasses(packages = "org.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class TestkitArchitectureTest {

    private static final String NETTY = "io.netty";

    @ArchTest
    static final ArchRule KIT_API_EXPOSES_NO_NETTY = members()
            .that().areDeclaredInClassesThat().resideInAPackage(Packages.TESTKIT)
            .and().areDeclaredInClassesThat().arePublic()
            .and().arePublic()
            .should(nameNoNettyType())
            .because("tests written with the kit must not depend on how it does I/O: its phones, calls and ears"
                    + " take and give the kit's own types, sip-api's messages and plain Java");

    @ArchTest
    static final ArchRule KIT_TYPES_EXTEND_NO_NETTY = classes().that().resideInAPackage(Packages.TESTKIT).and().arePublic()
            .should().notBeAssignableTo(JavaClass.Predicates.resideInAPackage(NETTY + ".."))
            .because("a public kit type that is a Netty type would put Netty into the tests' API");

    @ArchTest
    static final ArchRule NOTHING_BUT_TESTS_USES_THE_KIT = noClasses().that().resideOutsideOfPackages(Packages.TESTKIT, Packages.ARQUILLIAN)
            .should().dependOnClassesThat().resideInAPackage(Packages.TESTKIT)
            .because("the kit is for tests (the Arquillian adapter, itself for tests, hands its phones out); a module that"
                    + " used it in its main code would ship a test phone");

    @ArchTest
    static final ArchRule KIT_USES_THE_MEDIA_PRIMITIVES_NOT_THE_SWITCH = noClasses().that().resideInAPackage(Packages.TESTKIT)
            .should().dependOnClassesThat().resideInAnyPackage("org.switchboard.media.core..",
                    "org.switchboard.media.sip..", "org.switchboard.media.esl..", "org.switchboard.media.app..",
                    "org.switchboard.media.conference..", "org.switchboard.media.server..", Packages.ESL,
                    Packages.DRACHTIO, Packages.MRF, Packages.CONTAINER)
            .because("a phone is an endpoint: it sends and hears audio with the media server's codecs, RTP session"
                    + " and SDP negotiation, and speaks SIP on sip-stack; the switch and the container are what it tests");

    private static ArchCondition<JavaMember> nameNoNettyType() {
        return new ArchCondition<>("name no Netty type in their signature") {
            @Override
            public void check(JavaMember member, ConditionEvents events) {
                List<JavaClass> types = new ArrayList<>();
                if (member instanceof JavaField field) {
                    types.add(field.getRawType());
                } else if (member instanceof JavaCodeUnit code) {
                    types.add(code.getRawReturnType());
                    types.addAll(code.getRawParameterTypes());
                    types.addAll(code.getExceptionTypes());
                }
                boolean clean = true;
                for (JavaClass type : types) {
                    JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
                    if (base.getPackageName().startsWith(NETTY)) {
                        clean = false;
                        events.add(SimpleConditionEvent.violated(member, member.getFullName() + " names " + base.getName()));
                    }
                }
                if (clean) {
                    events.add(SimpleConditionEvent.satisfied(member, member.getFullName() + " names no Netty type"));
                }
            }
        };
    }
}
