package dev.towerless.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The core stays pure Java: no cloud SDK, no framework, no Lambda types. */
@AnalyzeClasses(packages = "dev.towerless.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noAwsInTheCore = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "com.amazonaws..")
            .because("the core must run the same on AWS and on the local stack");

    @ArchTest
    static final ArchRule noFrameworksInTheCore = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("io.micronaut..", "jakarta..", "com.fasterxml..", "org.yaml..")
            .because("adapters translate; the core decides");

    @ArchTest
    static final ArchRule noWallClockInRules = noClasses().that().resideInAnyPackage("..scheduling..", "..jobs..", "..launch..")
            .should().callMethod(java.time.Instant.class, "now")
            .because("time comes in through an injected Clock so every rule can be tested deterministically");
}
