package io.taskq.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.taskq.arch.fixture.UsesCoreInternals;
import io.taskq.internal.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core keeps to its boundaries, and the check itself catches a leak (on a fixture class). */
class ModuleBoundariesUnitTest {
    private static final JavaClasses NONE = new ClassFileImporter().importClasses();
    private static final JavaClasses LEAK = new ClassFileImporter().importClasses(UsesCoreInternals.class);

    @Test
    void theCoreKeepsToItsBoundaries() {
        ModuleBoundaries.check("taskq-core");
    }

    @Test
    void anotherModuleUsingTheCoresInternalsFails() {
        List<String> found = ModuleBoundaries.violations("taskq-other", LEAK, NONE, List.of());
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains(UsesCoreInternals.class.getName())
                && found.get(0).contains(Json.class.getName()), found.get(0));
        assertEquals(found, ModuleBoundaries.violations("taskq-other", NONE, LEAK, List.of()), "tests too");
    }

    @Test
    void anAllowListEntryLetsThatModuleUseThatClassAndAnUnusedOneFails() {
        var mainAndTests = new ModuleBoundaries.Allowed("taskq-other", Json.class.getName(), false, "why");
        assertEquals(List.of(), ModuleBoundaries.violations("taskq-other", LEAK, NONE, List.of(mainAndTests)));
        assertEquals(1, ModuleBoundaries.violations("taskq-third", LEAK, NONE, List.of(mainAndTests)).size(),
                "only for the module it names");
        var testsOnly = new ModuleBoundaries.Allowed("taskq-other", Json.class.getName(), true, "why");
        assertEquals(List.of(), ModuleBoundaries.violations("taskq-other", NONE, LEAK, List.of(testsOnly)));
        List<String> fromMain = ModuleBoundaries.violations("taskq-other", LEAK, NONE, List.of(testsOnly));
        assertTrue(fromMain.stream().anyMatch(f -> f.startsWith("Method <" + UsesCoreInternals.class.getName())),
                "a tests-only entry does not let main code in: " + fromMain);
        List<String> stale = ModuleBoundaries.violations("taskq-other", NONE, NONE, List.of(mainAndTests));
        assertEquals(1, stale.size());
        assertTrue(stale.get(0).startsWith("allow-list entry no longer needed"), stale.get(0));
    }

    @Test
    void aModuleMayUseTheInternalPackagesItsMainClassesLiveIn() {
        JavaClasses core = new ClassFileImporter().importClasses(Json.class);
        assertEquals(List.of(), ModuleBoundaries.violations("taskq-other", core, LEAK, List.of()));
    }

    @Test
    void aTestClassInAnotherModulesInternalPackageFails() throws ClassNotFoundException {
        JavaClasses split = new ClassFileImporter()
                .importClasses(Class.forName("io.taskq.internal.InMemoryRevokeMarkerTest"));
        List<String> found = ModuleBoundaries.violations("taskq-other", NONE, split, List.of());
        assertTrue(found.stream().anyMatch(f -> f.contains("lives in io.taskq.internal")), found.toString());
    }

    @Test
    void internalRootIsTheInternalPackageAtOrAbove() {
        assertEquals("io.taskq.internal", ModuleBoundaries.internalRoot("io.taskq.internal"));
        assertEquals("io.taskq.redis.internal", ModuleBoundaries.internalRoot("io.taskq.redis.internal.lua"));
        assertNull(ModuleBoundaries.internalRoot("io.taskq.spi"));
        assertNull(ModuleBoundaries.internalRoot("io.lettuce.core.internal"));
    }
}
