package io.taskq.dashboard;

import io.taskq.arch.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** The dashboard uses taskq's public API only: no other module's internal package (no ModuleBoundaries.ALLOWED entry). */
class ModuleBoundariesUnitTest {
    @Test
    void keepsToTheOtherModulesPublicPackages() {
        ModuleBoundaries.check("taskq-dashboard");
    }
}
