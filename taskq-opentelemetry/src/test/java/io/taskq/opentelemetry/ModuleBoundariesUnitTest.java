package io.taskq.opentelemetry;

import io.taskq.arch.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** This module uses other modules' internal packages only where ModuleBoundaries.ALLOWED says why. */
class ModuleBoundariesUnitTest {
    @Test
    void keepsToTheOtherModulesPublicPackages() {
        ModuleBoundaries.check("taskq-opentelemetry");
    }
}
