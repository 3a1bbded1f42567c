package io.taskq.arch;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The build's check that each module keeps to the others' public packages: a class of one module (main or test)
 * may use another module's {@code io.taskq...internal} packages only where {@link #ALLOWED} says so, and why. Every
 * module runs it from a {@code ModuleBoundariesUnitTest} of its own (so it runs in {@code mvn test}); a module owns
 * the internal packages its main classes live in. An allow-list entry that nothing uses any more fails the check
 * too, so that the list stays the true list of exceptions (docs/architecture.md, "What is public").
 */
public final class ModuleBoundaries {

    /**
     * One allowed use of another module's internal class.
     *
     * @param module    the using module (its artifactId)
     * @param target    the internal class used (its nested classes included)
     * @param testsOnly whether only the module's tests may use it
     * @param why       why it cannot go through a public package
     */
    public record Allowed(String module, String target, boolean testsOnly, String why) {
        boolean covers(String usingModule, boolean fromTest, String targetClass) {
            return module.equals(usingModule) && (fromTest || !testsOnly)
                    && (targetClass.equals(target) || targetClass.startsWith(target + "$"));
        }
    }

    private static final String SHARED_JSON = "taskq's own modules read and write the records, envelopes and schedule"
            + " entries with the core's one ObjectMapper (no default typing, the same modules), so that every broker"
            + " and the scheduler encode alike; a public mapper would make its configuration part of the API";

    /** The exceptions: taskq's own modules that share a piece of the core that users must not depend on. */
    public static final List<Allowed> ALLOWED = List.of(
            new Allowed("taskq-broker-redis", "io.taskq.internal.Json", false, SHARED_JSON),
            new Allowed("taskq-broker-redis", "io.taskq.internal.JsonText", false, "task records are stored as the"
                    + " core's record text (docs/protocol.md), which every broker and reader of a record shares; the"
                    + " event stream's entries are written with its JSON string escaping"),
            new Allowed("taskq-broker-redis", "io.taskq.internal.IsoInstants", false, "the scripts' times (now, a"
                    + " start mark) are written in the one ISO form the core writes and parses (records' updatedAt),"
                    + " without a DateTimeFormatter on every script call"),
            new Allowed("taskq-broker-redis", "io.taskq.internal.Paging", false, "the listing cursors of"
                    + " QueueAdmin.tasks (a position per partition) are read and checked alike by both brokers, with"
                    + " the same page-size rule and messages"),
            new Allowed("taskq-broker-redis", "io.taskq.internal.LimitSpec", false, "a message's limits header"
                    + " (how a limited body begins, refused on a partitioned queue) and the limit names in the limits"
                    + " hashes are written and read alike by the core's submit, the in-memory broker and the scripts"),
            new Allowed("taskq-broker-redis", "io.taskq.internal.ReadyAge", false, "QueueStats.oldestReadyAge is"
                    + " taken alike by both brokers from a message's sent_at and eta headers, parsed as the core"
                    + " parses them"),
            new Allowed("taskq-broker-redis", "io.taskq.internal.DeadLetterCursor", false, "the cursors of"
                    + " QueueAdmin.findDeadLetters (a dead letter's time and id) are read and checked alike by both"
                    + " brokers, with the same limit rule and messages"),
            new Allowed("taskq-broker-redis", "io.taskq.internal.Envelope", true, "MalformedEntriesTest writes raw"
                    + " envelopes into Redis to check how the broker treats malformed and smuggled entries"),
            new Allowed("taskq-scheduler", "io.taskq.internal.Json", false, SHARED_JSON),
            new Allowed("taskq-scheduler", "io.taskq.internal.Ids", false, "a scheduler instance is named like a"
                    + " worker (host and process), by the core's one format"),
            new Allowed("taskq-scheduler", "io.taskq.internal.Durations", false, "@Periodic durations are parsed"
                    + " like the core's task options, with the same messages"),
            new Allowed("taskq-scheduler", "io.taskq.internal.TaskDefinition", false, "a periodic task is named by"
                    + " the core's task scanning, so that the name it submits is the name workers register"),
            new Allowed("taskq-scheduler", "io.taskq.internal.events.PublisherAccess", false, "the scheduler's"
                    + " events go through its taskq's event publisher (one buffer and thread, the same on/off switch"
                    + " as task and worker events) without a publishing method on the public API"),
            new Allowed("taskq-scheduler", "io.taskq.internal.DataCodec", false, "a periodic task built with"
                    + " Java values shows them encoded as a default taskq encodes them until its scheduler encodes"
                    + " them again with the taskq's own mapper; the codec's guards (not data, one JSON value) are"
                    + " the core's"));

    private ModuleBoundaries() {
    }

    /**
     * Checks the module whose tests run now (the working directory of surefire and failsafe is the module's base
     * directory): its main classes ({@code target/classes}) and test classes ({@code target/test-classes}).
     *
     * @param module the module's artifactId, as the allow-list names it
     * @throws AssertionError listing every use of another module's internals that is not allowed
     */
    public static void check(String module) {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (!base.getFileName().toString().equals(module)) {
            throw new IllegalStateException("run from the module " + module + ", not from " + base);
        }
        Path mainDir = base.resolve("target/classes");
        Path testDir = base.resolve("target/test-classes");
        ClassFileImporter importer = new ClassFileImporter();
        JavaClasses main = Files.isDirectory(mainDir) ? importer.importPath(mainDir) : importer.importClasses();
        JavaClasses tests = importer.importPath(testDir);
        List<String> found = violations(module, main, tests, ALLOWED);
        if (!found.isEmpty()) {
            throw new AssertionError(module + " reaches into other modules' internal packages (use their public"
                    + " API, or add an explained entry to ModuleBoundaries.ALLOWED):\n  " + String.join("\n  ", found));
        }
    }

    /**
     * The uses of other modules' internal packages by {@code main} and {@code tests} (classes of {@code module})
     * that {@code allowed} does not cover, plus the entries of {@code allowed} for this module that nothing used.
     */
    static List<String> violations(String module, JavaClasses main, JavaClasses tests, List<Allowed> allowed) {
        Set<String> own = new HashSet<>();
        for (JavaClass c : main) {
            String root = internalRoot(c.getPackageName());
            if (root != null) {
                own.add(root);
            }
        }
        Set<String> found = new TreeSet<>();
        Set<Allowed> used = new HashSet<>();
        collect(module, main, false, own, allowed, found, used);
        collect(module, tests, true, own, allowed, found, used);
        List<String> out = new ArrayList<>(found);
        for (Allowed a : allowed) {
            if (a.module().equals(module) && !used.contains(a)) {
                out.add("allow-list entry no longer needed, remove it: " + a.target()
                        + (a.testsOnly() ? " (tests)" : ""));
            }
        }
        return out;
    }

    private static void collect(String module, JavaClasses classes, boolean tests, Set<String> own,
                                List<Allowed> allowed, Set<String> found, Set<Allowed> used) {
        for (JavaClass c : classes) {
            String home = internalRoot(c.getPackageName());
            if (home != null && !own.contains(home)) {
                found.add(c.getName() + " lives in " + c.getPackageName() + ", an internal package of another"
                        + " module");
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                String root = internalRoot(target.getPackageName());
                if (root == null || own.contains(root)) {
                    continue;
                }
                Allowed a = allowed.stream().filter(e -> e.covers(module, tests, target.getName())).findFirst()
                        .orElse(null);
                if (a != null) {
                    used.add(a);
                } else {
                    found.add(d.getDescription());
                }
            }
        }
    }

    /** The internal package that {@code pkg} is or lies under ({@code io.taskq.redis.internal}), or null. */
    static String internalRoot(String pkg) {
        if (!pkg.startsWith("io.taskq.")) {
            return null;
        }
        String[] parts = pkg.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("internal")) {
                return String.join(".", java.util.Arrays.asList(parts).subList(0, i + 1));
            }
        }
        return null;
    }
}
