package io.taskq.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.taskq.arch.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/**
 * This module uses other modules' internal packages only where ModuleBoundaries.ALLOWED says why, and only
 * SchedulerMetrics refers to the optional taskq-scheduler (an application without it must load everything else).
 */
class ModuleBoundariesUnitTest {
    @Test
    void keepsToTheOtherModulesPublicPackages() {
        ModuleBoundaries.check("taskq-micrometer");
    }

    @Test
    void onlySchedulerMetricsNeedsTheScheduler() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.taskq.micrometer");
        noClasses().that().doNotHaveFullyQualifiedName(SchedulerMetrics.class.getName())
                .should().dependOnClassesThat().resideInAPackage("io.taskq.scheduler..")
                .check(main);
    }
}
