package io.taskq.cli;

import io.taskq.arch.ModuleBoundaries;
import org.junit.jupiter.api.Test;

/** The CLI uses taskq's public API only: no other module's internal package (ModuleBoundaries.ALLOWED has none). */
class ModuleBoundariesUnitTest {
    @Test
    void keepsToTheOtherModulesPublicPackages() {
        ModuleBoundaries.check("taskq-cli");
    }
}
